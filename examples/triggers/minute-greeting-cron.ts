// Every minute (UTC), a greeting run: the smallest cron trigger, to watch local cron fire under
// `npm start` / `cairn dev` (turn it off with --no-cron, or disable it with
// `cairn triggers disable minute-greeting-cron`).
import { defineCronSource } from "cairn-workflows/trigger";
import greeting from "../workflows/greeting.ts";

export default defineCronSource({
  slug: "minute-greeting-cron",
  schedule: "* * * * *",
  payload: { name: "cron" },
}).attach({
  workflow: greeting,
});
