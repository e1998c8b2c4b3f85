// Types of the VITE_* variables config/env.ts reads. `interface` because Vite's ImportMetaEnv is extended
// by declaration merging, which a `type` alias cannot do.
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the Takt HTTP API; same-origin `/api/v1` unless the SPA is hosted elsewhere. */
  readonly VITE_API_URL?: string;
  /** How often the status bar polls GET /health, in milliseconds. */
  readonly VITE_HEALTH_POLL_MS?: string;
}
