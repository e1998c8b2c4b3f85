// Serves the simulated machines over OPC UA (node-opcua OPCUAServer): per machine the variables
// `ns=1;s=<path>.State` (String), `.Product` (String), `.GoodCount` and `.RejectCount` (Int64, cumulative),
// organised in one folder per machine under Objects/Takt. Security modes None, Sign and SignAndEncrypt are
// offered (Basic256Sha256); anonymous access is allowed, as a demo plant should be. The server's PKI lives
// under `{dataDir}/pki/simulator-opcua` and is created on first start.
import path from 'node:path';
import {
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  type UAVariable,
} from 'node-opcua';
import type { Logger } from 'pino';
import type { MachineStateChange } from './machine-model.ts';

export const OPCUA_SIGNALS = ['State', 'Product', 'GoodCount', 'RejectCount'] as const;

/** The node id (string form) of a machine's variable, e.g. `ns=1;s=plant1/assembly/line1/press1.State`. */
export function opcUaNodeId(machinePath: string, signal: (typeof OPCUA_SIGNALS)[number]): string {
  return `ns=1;s=${machinePath}.${signal}`;
}

export type OpcUaServerOptions = {
  /** 0: chosen by the OS. */
  port: number;
  dataDir: string;
  machinePaths: readonly string[];
  logger: Logger;
  /** Host name put in the endpoint URLs; default 127.0.0.1 so that endpoints match on loopback. */
  hostname?: string;
};

export type SimulatorOpcUaServer = {
  endpointUrl: string;
  port: number;
  setState(machinePath: string, change: MachineStateChange): void;
  setCounts(machinePath: string, goodTotal: number, rejectTotal: number, tsMs: number): void;
  stop(): Promise<void>;
};

type MachineVariables = {
  state: UAVariable;
  product: UAVariable;
  goodCount: UAVariable;
  rejectCount: UAVariable;
};

export async function startOpcUaServer(options: OpcUaServerOptions): Promise<SimulatorOpcUaServer> {
  const logger = options.logger.child({ name: 'simulator.opcua' });
  const hostname = options.hostname ?? '127.0.0.1';
  const pkiRoot = path.join(options.dataDir, 'pki', 'simulator-opcua');
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: pkiRoot,
    automaticallyAcceptUnknownCertificate: true,
  });
  await serverCertificateManager.initialize();
  const server = new OPCUAServer({
    port: options.port,
    hostname,
    alternateHostname: [hostname],
    resourcePath: '/takt',
    serverCertificateManager,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
    buildInfo: { productName: 'Takt plant simulator', manufacturerName: 'Takt' },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('OPC UA address space not initialised');
  const namespace = addressSpace.getOwnNamespace();
  const root = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Takt' });
  const variables = new Map<string, MachineVariables>();
  const addVariable = (
    folder: ReturnType<typeof namespace.addFolder>,
    machinePath: string,
    name: string,
    dataType: DataType,
  ) =>
    namespace.addVariable({
      componentOf: folder,
      browseName: name,
      nodeId: `s=${machinePath}.${name}`,
      dataType,
      minimumSamplingInterval: 50,
      value: new Variant({
        dataType,
        arrayType: VariantArrayType.Scalar,
        value: dataType === DataType.String ? null : [0, 0],
      }),
    });
  for (const machinePath of options.machinePaths) {
    const folder = namespace.addFolder(root, { browseName: machinePath });
    const state = addVariable(folder, machinePath, 'State', DataType.String);
    const product = addVariable(folder, machinePath, 'Product', DataType.String);
    const goodCount = addVariable(folder, machinePath, 'GoodCount', DataType.Int64);
    const rejectCount = addVariable(folder, machinePath, 'RejectCount', DataType.Int64);
    // No value until the model says so: Bad_WaitingForInitialData, as a real PLC at start-up.
    for (const variable of [state, product])
      variable.setValueFromSource(
        new Variant({ dataType: DataType.String, value: null }),
        StatusCodes.BadWaitingForInitialData,
      );
    variables.set(machinePath, { state, product, goodCount, rejectCount });
  }
  await server.start();
  const endpointUrl = server.getEndpointUrl();
  const port = Number(new URL(endpointUrl.replace(/^opc\.tcp:/, 'http:')).port);
  logger.info({ endpointUrl, machines: variables.size }, 'OPC UA server started');

  // Int64 in node-opcua is a [high, low] pair of UInt32.
  const int64 = (value: number) => [Math.floor(value / 2 ** 32), value % 2 ** 32];
  const setValue = (variable: UAVariable, dataType: DataType, value: unknown, tsMs: number) =>
    variable.setValueFromSource(
      new Variant({ dataType, arrayType: VariantArrayType.Scalar, value }),
      StatusCodes.Good,
      new Date(tsMs),
    );

  return {
    endpointUrl,
    port,
    setState(machinePath, change) {
      const machine = variables.get(machinePath);
      if (!machine) return;
      setValue(machine.state, DataType.String, change.state, change.tsMs);
      if (change.productCode !== null) setValue(machine.product, DataType.String, change.productCode, change.tsMs);
    },
    setCounts(machinePath, goodTotal, rejectTotal, tsMs) {
      const machine = variables.get(machinePath);
      if (!machine) return;
      setValue(machine.goodCount, DataType.Int64, int64(goodTotal), tsMs);
      setValue(machine.rejectCount, DataType.Int64, int64(rejectTotal), tsMs);
    },
    async stop() {
      await server.shutdown(0);
      logger.info('OPC UA server stopped');
    },
  };
}
