// A node-opcua server for the OPC UA source's integration tests: loopback, OS-chosen port (or the given one, to
// restart on the same endpoint), one String/Int64/… variable per entry of `variables` at node id `ns=1;s=<key>`,
// each starting with Bad_WaitingForInitialData as a PLC at start-up. The test sets values with source timestamps
// and can close every session from the server side.
import path from 'node:path';
import {
  type DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  type ServerSession,
  type StatusCode,
  type UAVariable,
} from 'node-opcua';

export type OpcUaTestServer = {
  server: OPCUAServer;
  endpointUrl: string;
  port: number;
  /** Sets variable `key` (`ns=1;s=<key>`) as a device would, stamped `tsMs` at the source. */
  setValue(key: string, value: unknown, tsMs: number, status?: StatusCode): void;
  /** Closes every open session on the server side, as a session timeout or an operator would. */
  closeSessions(): void;
  stop(): Promise<void>;
};

export async function startOpcUaTestServer(options: {
  pkiDir: string;
  variables: Record<string, DataType>;
  /** Default 0: chosen by the OS. */
  port?: number;
}): Promise<OpcUaTestServer> {
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(options.pkiDir, 'server-pki'),
    automaticallyAcceptUnknownCertificate: true,
  });
  await serverCertificateManager.initialize();
  const server = new OPCUAServer({
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    alternateHostname: ['127.0.0.1'],
    resourcePath: '/test',
    serverCertificateManager,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('OPC UA address space not initialised');
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Takt' });
  const variables = new Map<string, { variable: UAVariable; dataType: DataType }>();
  for (const [key, dataType] of Object.entries(options.variables)) {
    const variable = namespace.addVariable({
      componentOf: folder,
      browseName: key,
      nodeId: `s=${key}`,
      dataType,
      minimumSamplingInterval: 20,
    });
    variable.setValueFromSource(
      new Variant({ dataType, arrayType: VariantArrayType.Scalar, value: null }),
      StatusCodes.BadWaitingForInitialData,
    );
    variables.set(key, { variable, dataType });
  }
  const sessions = new Set<ServerSession>();
  server.on('create_session', (session) => sessions.add(session));
  await server.start();
  const endpointUrl = server.getEndpointUrl();
  return {
    server,
    endpointUrl,
    port: Number(new URL(endpointUrl.replace(/^opc\.tcp:/, 'http:')).port),
    setValue(key, value, tsMs, status = StatusCodes.Good) {
      const entry = variables.get(key);
      if (!entry) throw new Error(`no test variable ${key}`);
      entry.variable.setValueFromSource(
        new Variant({ dataType: entry.dataType, arrayType: VariantArrayType.Scalar, value }),
        status,
        new Date(tsMs),
      );
    },
    closeSessions() {
      for (const session of sessions) server.engine.closeSession(session.authenticationToken, true, 'Forcing');
      sessions.clear();
    },
    stop: () => server.shutdown(0),
  };
}
