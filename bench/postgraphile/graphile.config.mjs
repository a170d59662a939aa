// PostGraphile 5 for Parley's benchmark: the amber preset plus connection filters (date ranges).
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  // By default only indexed columns can be ordered and filtered by. Parley orders and filters
  // meetings by date and title without an index on them; PostGraphile gets the same freedom on
  // the same indexes. (Every foreign key is indexed, so no relation is lost.)
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.PG_POOL_MAX ?? 16) },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    watch: false,
  },
  grafast: { explain: false },
};

export default preset;
