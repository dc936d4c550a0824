// Every day at 08:00 in Paris, the digest goes to every subscriber.
import { defineCronSource } from "cairn/trigger";
import dailyDigest from "../workflows/daily-digest.ts";

export default defineCronSource({
  slug: "daily-digest-cron",
  schedule: "0 8 * * *",
  timezone: "Europe/Paris",
  payload: { edition: "morning" },
}).attach({
  workflow: dailyDigest,
});
