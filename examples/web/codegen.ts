// Typed documents from Parley's committed contract (../../schema.graphql): no server needed.
import type { CodegenConfig } from "@graphql-codegen/cli";

// Parley's custom scalars as they travel in JSON. PartialDate is a string such as "2024",
// "2024-H1" or "2024-05-21" (README: "PartialDate"); keep it a string, never a Date. Date
// (an asOf day, "2026-11-29") and DateTime are ISO strings too.
const scalars = {
  PartialDate: "string",
  Date: "string",
  DateTime: "string",
  JSON: "unknown",
};

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars,
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
