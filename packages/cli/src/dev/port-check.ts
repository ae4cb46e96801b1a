import { createServer } from "node:net";
import { CliError } from "../cli-error.js";

// workerd reports a taken port as a fatal crash on stderr; asking first gives a clean error.
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new CliError(
              "ERR_PORT_IN_USE",
              `Port ${port} on ${host} is already in use. Stop what listens there, or pass --port <another port> (0 picks a free one).`,
            )
          : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
