// Runs graphql-http's server audits (the GraphQL-over-HTTP specification's MUST, SHOULD and
// MAY items) against a running Parley and prints one JSON line per audit:
//   node scripts/graphql-http-audit.mjs http://127.0.0.1:8000/graphql
// Exits 1 when any audit did not pass. tests/test_graphql_http_audit.py runs it.
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node scripts/graphql-http-audit.mjs <graphql endpoint URL>");
  process.exit(2);
}

const results = await auditServer({ url });
let failed = 0;
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    failed += 1;
    line.reason = result.reason;
    try {
      line.body = await result.response.text();
      line.httpStatus = result.response.status;
    } catch {
      // the body was read by the audit already
    }
  }
  console.log(JSON.stringify(line));
}
console.error(`${results.length - failed} of ${results.length} audits passed`);
process.exit(failed ? 1 : 0);
