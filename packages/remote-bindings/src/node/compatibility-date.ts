export { WORKERS_COMPATIBILITY_DATE } from "@access-bridge/conventions";
