// A live list of meetings: pages of the Relay connection, and each meeting recorded anywhere
// (any client, any replica) added as it is committed.
import { connect } from "./client";
import { MeetingRecorded, MeetingsPage } from "./documents";
import type { MeetingFieldsFragment } from "./gql/graphql";

const PAGE_SIZE = 5;
const params = new URLSearchParams(window.location.search);
const apiUrl = params.get("api") ?? "http://127.0.0.1:8000/graphql";
const { client, ws } = connect(apiUrl, params.get("token") ?? undefined);

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing`);
  return found;
};
const list = element("meetings");
const live = element("live");
const more = element("more") as HTMLButtonElement;
const status = element("status");

function when(meeting: MeetingFieldsFragment): string {
  // PartialDate is a string ("2024-H1"): shown as recorded, never turned into a Date.
  if (!meeting.start) return "undated";
  return meeting.end && meeting.end !== meeting.start ? `${meeting.start} – ${meeting.end}` : meeting.start;
}

function item(meeting: MeetingFieldsFragment): HTMLLIElement {
  const li = document.createElement("li");
  li.dataset.id = meeting.id;
  const date = document.createElement("span");
  date.className = "when";
  date.textContent = when(meeting);
  const title = document.createElement("span");
  title.className = "title";
  title.textContent = ` ${meeting.title}`;
  li.append(date, title);
  if (meeting.mechanism) {
    const mechanism = document.createElement("span");
    mechanism.className = "mechanism";
    mechanism.textContent = meeting.mechanism.acronym ?? meeting.mechanism.name;
    li.append(mechanism);
  }
  return li;
}

const pages = client.watchQuery({
  query: MeetingsPage,
  variables: { first: PAGE_SIZE },
  notifyOnNetworkStatusChange: true,
});

pages.subscribe({
  next: (result) => {
    if (result.error) {
      status.textContent = `Could not load meetings: ${result.error.message}`;
      status.className = "error";
      return;
    }
    if (result.dataState !== "complete") return;
    const connection = result.data.meetings;
    element("total").textContent = String(connection.totalCount);
    list.replaceChildren(...connection.edges.map((edge) => item(edge.node)));
    more.disabled = !connection.pageInfo.hasNextPage;
    list.dataset.loaded = String(connection.edges.length);
  },
});

more.addEventListener("click", async () => {
  const current = client.readQuery({ query: MeetingsPage, variables: { first: PAGE_SIZE } });
  const after = current?.meetings.pageInfo.endCursor;
  if (!after) return;
  more.disabled = true;
  await pages.fetchMore({ variables: { first: PAGE_SIZE, after } });
});

client.subscribe({ query: MeetingRecorded }).subscribe({
  next: ({ data, error }) => {
    if (error) {
      status.textContent = `Live updates failed: ${error.message}`;
      status.className = "error";
      return;
    }
    if (data?.meetingRecorded) live.prepend(item(data.meetingRecorded));
  },
});

ws.on("connected", () => {
  status.textContent = "Live: new meetings appear as they are recorded.";
  status.dataset.live = "true";
});
ws.on("closed", (event) => {
  const { code, reason } = event as CloseEvent;
  status.textContent = `Reconnecting… (closed: ${code}${reason ? ` ${reason}` : ""})`;
  status.dataset.live = "false";
});
