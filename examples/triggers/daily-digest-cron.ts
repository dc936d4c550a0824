// Every day at midnight in Paris (`@daily`), the digest goes to every subscriber: one run each.
import { defineCronSource } from "cairn-workflows/trigger";
import dailyDigest from "../workflows/daily-digest.ts";

export default defineCronSource({
  slug: "daily-digest-cron",
  schedule: "@daily",
  timezone: "Europe/Paris",
  payload: { edition: "morning" },
}).attach({
  workflow: dailyDigest,
});
