// The operations this page sends; graphql-codegen types them (src/gql/, made by `npm run codegen`).
import { graphql } from "./gql";

export const MeetingFields = graphql(`
  fragment MeetingFields on Meeting {
    id
    title
    start
    end
    place
    mechanism {
      id
      name
      acronym
    }
  }
`);

export const MeetingsPage = graphql(`
  query MeetingsPage($first: Int!, $after: String) {
    meetings(first: $first, after: $after, orderBy: [START_DATE_ASC]) {
      totalCount
      edges {
        cursor
        node {
          ...MeetingFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const MeetingRecorded = graphql(`
  subscription MeetingRecorded {
    meetingRecorded {
      ...MeetingFields
    }
  }
`);
