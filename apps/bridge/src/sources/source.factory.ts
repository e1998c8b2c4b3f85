// Makes the Source for a connection's configuration (STYLE.md rule 7: one implementation per protocol
// behind a factory). Sparkplug B and OPC UA sources join here in the later bridge issue.
import type { Source } from './source.ts';
import { createUnsJsonSource, type UnsJsonSourceOptions } from './uns-json.source.ts';

export type SourceConfig = { kind: 'MQTT_JSON' } & UnsJsonSourceOptions;

export function createSource(config: SourceConfig): Source {
  switch (config.kind) {
    case 'MQTT_JSON':
      return createUnsJsonSource(config);
  }
}
