// One Apollo Client for the page: queries over HTTP with automatic persisted queries (a hash
// first, the full text only when the server has not seen it), subscriptions over graphql-ws,
// and Relay-style pagination merged in the cache.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { isSubscriptionOperation, relayStylePagination } from "@apollo/client/utilities";
import { createClient, type Client as WsClient } from "graphql-ws";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function websocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export interface Parley {
  client: ApolloClient;
  ws: WsClient;
}

export function connect(apiUrl: string, token?: string): Parley {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const ws = createClient({
    url: websocketUrl(apiUrl),
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  const http = new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: apiUrl, headers }),
  );
  const link = ApolloLink.split(
    ({ query }) => isSubscriptionOperation(query),
    new GraphQLWsLink(ws),
    http,
  );
  const cache = new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // Pages of one list (same filter and order) merge into one connection.
          meetings: relayStylePagination(["filter", "orderBy"]),
        },
      },
    },
  });
  return { client: new ApolloClient({ link, cache }), ws };
}
