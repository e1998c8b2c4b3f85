import { pino } from 'pino';
import { OPCUAClient, MessageSecurityMode, SecurityPolicy, AttributeIds, OPCUACertificateManager } from 'node-opcua';
import { startOpcUaServer } from './src/opcua.server.ts';
const t0 = Date.now();
const s = await startOpcUaServer({ port: 0, dataDir: '/tmp/takt-scratch', machinePaths: ['plant1/a/l1/m1'], logger: pino({ level: 'info' }) });
console.log('started in', Date.now() - t0, s.endpointUrl, s.port);
s.setState('plant1/a/l1/m1', { tsMs: Date.now(), state: 'PRODUCING', reasonCode: null, productCode: 'P-1' });
s.setCounts('plant1/a/l1/m1', 2 ** 33 + 7, 3, Date.now());
for (const [mode, policy] of [[MessageSecurityMode.None, SecurityPolicy.None], [MessageSecurityMode.Sign, SecurityPolicy.Basic256Sha256], [MessageSecurityMode.SignAndEncrypt, SecurityPolicy.Basic256Sha256]] as const) {
  const cm = new OPCUACertificateManager({ rootFolder: '/tmp/takt-scratch/client-pki', automaticallyAcceptUnknownCertificate: true });
  await cm.initialize();
  const client = OPCUAClient.create({ securityMode: mode, securityPolicy: policy, endpointMustExist: false, clientCertificateManager: cm, connectionStrategy: { maxRetry: 1, initialDelay: 100 } });
  try {
    const t = Date.now();
    await client.connect(s.endpointUrl);
    const session = await client.createSession();
    const v = await session.read([{ nodeId: 'ns=1;s=plant1/a/l1/m1.State', attributeId: AttributeIds.Value }, { nodeId: 'ns=1;s=plant1/a/l1/m1.GoodCount', attributeId: AttributeIds.Value }]);
    console.log(MessageSecurityMode[mode], Date.now() - t, 'ms', v.map((d) => [d.statusCode.name, d.value.value]));
    await session.close(); await client.disconnect();
  } catch (e) { console.log(MessageSecurityMode[mode], 'FAILED', (e as Error).message); await client.disconnect(); }
}
await s.stop();
