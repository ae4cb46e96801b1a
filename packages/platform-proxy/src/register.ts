// `node --import @access-bridge/platform-proxy/register`: what `access-bridge run` puts into
// NODE_OPTIONS of the command it starts (see wrangler-hooks.ts).
import { installWranglerHooks } from "./wrangler-hooks.js";

installWranglerHooks();
