// OPC UA source: one client per endpoint, one session, one subscription with a monitored item per mapped node
// (sampling interval from the data source config), each data change decoded into a normalized ingest event.
//
// Recovery, following OPC UA Part 4:
// - §6.7 "Re-establishing connections": on a lost secure channel node-opcua's connection strategy reconnects
//   with exponential backoff (`connectionStrategy`), re-activates the session (ActivateSession, §5.6.3) and
//   republishes missed notifications (Republish, §5.13.6) or transfers the subscriptions (§5.13.7).
// - When the session itself is gone (server restarted, session timed out: Bad_SessionIdInvalid), §6.7 says
//   the client creates a new session and new subscriptions: we do that ourselves on `session_closed` or a
//   terminated subscription, with the same backoff, and re-create every monitored item.
//
// Liveness (OPC UA reports changes only, so a machine whose state does not change sends nothing): while the
// subscription receives Publish responses — notifications, or the server's keep-alive every `keepAliveIntervalMs`
// when nothing changed (Part 4 §5.13.1.1) — the mapped machines are kept alive (sink.noteAlive); when they stop
// because the connection broke, node-opcua reconnects (re-activating or re-creating the session, §6.7) and
// republishes, and the liveness watchdog puts the machines OFFLINE if that takes longer than its window; once
// back, every node is read again. A session or subscription that is gone while the connection works — closed,
// terminated, or no Publish response for two keep-alive intervals (the server dropped it) — puts them OFFLINE at
// once: what happened meanwhile is lost; the new session then reads their state back.
// First values: the first notification of each monitored item, and the Read after a re-established connection,
// carry the node's current value, however long ago it last changed: they are applied as the state at that moment
// (later notifications keep their source timestamps).
// Security: mode None, Sign or SignAndEncrypt (policy Basic256Sha256 unless configured); the client
// certificate is created on first run under `{pkiDir}` (TAKT_DATA_DIR/pki/bridge-opcua).
// node-opcua is loaded on first start only: it takes about a second to import and warns about Node 20's RSA
// PKCS#1 v1.5 on load, neither of which a bridge without OPC UA sources should pay for.
import type * as NodeOpcUaModule from 'node-opcua';
import type { ClientSession, ClientSubscription, DataValue, OPCUAClient } from 'node-opcua';
import type { Logger } from 'pino';
import { decodeOpcUaSample, type OpcUaNodeMapping } from './opcua.decoder.ts';
import type { ConnectorSink, ConnectorSourceInfo, Source, SourceStatus } from './source.ts';

export type OpcUaSecurityMode = 'None' | 'Sign' | 'SignAndEncrypt';

export type OpcUaSourceOptions = {
  code: string;
  dataSourceId: string | null;
  endpointUrl: string;
  nodes: readonly OpcUaNodeMapping[];
  logger: Logger;
  /** Directory of the client's PKI (own certificate and key, trusted/rejected server certificates). */
  pkiDir: string;
  securityMode?: OpcUaSecurityMode;
  /**
   * Default Basic256Sha256 (None when the mode is None). Basic128Rsa15 and Basic256 need RSA PKCS#1 v1.5
   * encryption, which Node 20 refuses (CVE-2023-46809) unless started with `--security-revert=CVE-2023-46809`.
   */
  securityPolicy?:
    'None' | 'Basic128Rsa15' | 'Basic256' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';
  samplingIntervalMs?: number;
  publishingIntervalMs?: number;
  /**
   * The server sends a keep-alive Publish response after this long without changes (requested max keep-alive
   * count = this / publishingIntervalMs). Must stay well below the liveness watchdog's offline window.
   */
  keepAliveIntervalMs?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  now?: () => number;
};

export type OpcUaSourceStatus = SourceStatus & { sessionsCreated: number; monitoredItems: number };

type NodeOpcUa = typeof NodeOpcUaModule;

export function createOpcUaSource(
  options: OpcUaSourceOptions,
): Omit<Source, 'status'> & { status(): OpcUaSourceStatus } {
  const {
    code,
    dataSourceId,
    endpointUrl,
    nodes,
    pkiDir,
    securityMode = 'None',
    samplingIntervalMs = 250,
    publishingIntervalMs = 250,
    keepAliveIntervalMs = 5_000,
    reconnectInitialDelayMs = 500,
    reconnectMaxDelayMs = 30_000,
    now = Date.now,
  } = options;
  const logger = options.logger.child({ name: 'bridge.source.opcua' });
  const info: ConnectorSourceInfo = { code, kind: 'OPCUA', dataSourceId };
  const status: OpcUaSourceStatus = {
    isConnected: false,
    connectCount: 0,
    lastError: null,
    sessionsCreated: 0,
    monitoredItems: 0,
  };
  let opcua: NodeOpcUa | null = null;
  let client: OPCUAClient | null = null;
  let session: ClientSession | null = null;
  let subscription: ClientSubscription | null = null;
  let isStopping = false;
  let rebuildTimer: NodeJS.Timeout | null = null;
  let rebuildDelayMs = reconnectInitialDelayMs;
  let isBuilding = false;
  let isStarted = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const machinePaths = [...new Set(nodes.map((node) => node.machinePath))];
  const maxKeepAliveCount = Math.max(1, Math.ceil(keepAliveIntervalMs / publishingIntervalMs));
  const aliveNoteIntervalMs = Math.min(1_000, keepAliveIntervalMs);
  let lastAliveNoteMs = Number.NEGATIVE_INFINITY;
  /** Latest event time per machine, so that an OFFLINE never lands before what it closes. */
  const latestTsMsByMachine = new Map<string, number>();
  /** The machines were put OFFLINE for the current loss already (a closed session also ends its subscription). */
  let isDataLost = false;
  /** When the secure channel broke (null while connected): data from then on may be lost. */
  let connectionLostAtMs: number | null = null;
  /** Time of the last Publish response (data or keep-alive) of the current subscription. */
  let lastPublishResponseAtMs = 0;
  let healthTimer: NodeJS.Timeout | null = null;

  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

  /** A Publish response arrived (data or keep-alive): the session and subscription are healthy. */
  function noteAlive(sink: ConnectorSink): void {
    const nowMs = now();
    if (nowMs - lastAliveNoteMs < aliveNoteIntervalMs) return;
    lastAliveNoteMs = nowMs;
    sink.noteAlive?.(machinePaths);
  }

  /**
   * The session or subscription is gone: what changed since `lostAtMs` (default now) is lost, the machines are
   * OFFLINE from then until their values are read again.
   */
  function goOffline(sink: ConnectorSink, why: string, lostAtMs = now()): void {
    if (isDataLost) return;
    isDataLost = true;
    const nowMs = now();
    lastAliveNoteMs = Number.NEGATIVE_INFINITY;
    const inputs = machinePaths.map((machinePath) => ({
      event: {
        type: 'state' as const,
        machinePath,
        tsMs: Math.max(lostAtMs, (latestTsMsByMachine.get(machinePath) ?? 0) + 1),
        state: 'OFFLINE' as const,
      },
      origin: { address: endpointUrl, receivedAtMs: nowMs },
    }));
    logger.warn({ endpointUrl, why, machines: machinePaths.length }, 'OPC UA data lost: machines OFFLINE');
    void sink.submit(inputs, info);
  }

  function handleChange(
    sink: ConnectorSink,
    mapping: OpcUaNodeMapping,
    dataValue: DataValue,
    ua: NodeOpcUa,
    currentSinceMs: number,
  ): void {
    const receivedAtMs = now();
    const variant = dataValue.value;
    const sample = {
      statusName: dataValue.statusCode.name,
      isGood: dataValue.statusCode.isGood(),
      dataType: ua.DataType[variant?.dataType ?? ua.DataType.Null] ?? 'Null',
      value: variant?.value as unknown,
      sourceTimestampMs: dataValue.sourceTimestamp?.getTime() ?? null,
      serverTimestampMs: dataValue.serverTimestamp?.getTime() ?? null,
    };
    const payload = () =>
      new TextEncoder().encode(
        JSON.stringify({ status: sample.statusName, dataType: sample.dataType, value: sample.value ?? null }),
      );
    try {
      const result = decodeOpcUaSample(mapping, sample, receivedAtMs, currentSinceMs);
      if (result.ok === true) {
        const latestTsMs = latestTsMsByMachine.get(mapping.machinePath) ?? 0;
        latestTsMsByMachine.set(mapping.machinePath, Math.max(latestTsMs, result.event.tsMs));
        void sink.submit(
          [{ event: result.event, origin: { address: mapping.nodeId, payload: payload(), receivedAtMs } }],
          info,
        );
      } else if (result.ok === false) {
        sink.reject([{ address: mapping.nodeId, payload: payload(), reason: result.reason, receivedAtMs }], info);
      } else {
        logger.debug({ nodeId: mapping.nodeId, why: result.why }, 'sample skipped');
      }
    } catch (error) {
      sink.reject(
        [{ address: mapping.nodeId, payload: payload(), reason: `opcua decoder error: ${errorText(error)}` }],
        info,
      );
    }
  }

  /** Creates a session, a subscription and the monitored items (Part 4 §5.6.2, §5.13.2, §5.12.2). */
  async function build(sink: ConnectorSink): Promise<void> {
    const ua = opcua;
    if (!client || !ua || isStopping) return;
    const newSession = await client.createSession();
    status.sessionsCreated += 1;
    session = newSession;
    newSession.on('session_closed', () => {
      if (!isStopping && session === newSession) {
        logger.warn('session closed by the server');
        goOffline(sink, 'session closed', connectionLostAtMs ?? now());
        scheduleRebuild(sink);
      }
    });
    const newSubscription = await newSession.createSubscription2({
      requestedPublishingInterval: publishingIntervalMs,
      // Part 4 §5.13.2: the lifetime count must be at least three times the keep-alive count.
      requestedLifetimeCount: Math.max(600, 3 * maxKeepAliveCount),
      requestedMaxKeepAliveCount: maxKeepAliveCount,
      maxNotificationsPerPublish: 10_000,
      publishingEnabled: true,
      priority: 10,
    });
    subscription = newSubscription;
    newSubscription.on('terminated', () => {
      if (!isStopping && subscription === newSubscription) {
        logger.warn('subscription terminated');
        goOffline(sink, 'subscription terminated', connectionLostAtMs ?? now());
        scheduleRebuild(sink);
      }
    });
    let areItemsCreated = false;
    const onPublishResponse = () => {
      lastPublishResponseAtMs = now();
      noteAlive(sink);
      // Ready with the first Publish response after the items exist (a subscription sends a keep-alive at once,
      // before them): the items' initial values are delivered by then.
      if (areItemsCreated) markReady();
    };
    newSubscription.on('keepalive', onPublishResponse);
    newSubscription.on('received_notifications', onPublishResponse);
    // The first notification of each item is the node's current value when we began to monitor it.
    const itemsCreatedAtMs = now();
    const hasNotified = nodes.map(() => false);
    const group = ua.ClientMonitoredItemGroup.create(
      newSubscription,
      nodes.map((node) => ({ nodeId: node.nodeId, attributeId: ua.AttributeIds.Value })),
      // queueSize > 1: changes faster than the publishing interval are all delivered, in order.
      { samplingInterval: samplingIntervalMs, discardOldest: true, queueSize: 100 },
      ua.TimestampsToReturn.Both,
    );
    group.on('changed', (_item, dataValue, index) => {
      const mapping = nodes[index];
      if (!mapping) return;
      handleChange(sink, mapping, dataValue, ua, hasNotified[index] ? 0 : itemsCreatedAtMs);
      hasNotified[index] = true;
    });
    await new Promise<void>((resolve, reject) => {
      group.once('initialized', () => {
        areItemsCreated = true;
        resolve();
      });
      group.once('err', (message) => reject(new Error(String(message))));
    });
    // Nodes the server does not know are rejected per item (Bad_NodeIdUnknown): dead-letter the mapping.
    group.monitoredItems.forEach((item, index) => {
      const mapping = nodes[index];
      const statusCode = item.statusCode;
      if (mapping && statusCode && !statusCode.isGood()) {
        sink.reject(
          [
            {
              address: mapping.nodeId,
              payload: new TextEncoder().encode(JSON.stringify({ status: statusCode.name })),
              reason: `cannot monitor node: ${statusCode.name}`,
            },
          ],
          info,
        );
      }
    });
    status.monitoredItems = nodes.length;
    rebuildDelayMs = reconnectInitialDelayMs;
    logger.info({ endpointUrl, monitoredItems: nodes.length, securityMode }, 'subscribed');
    isDataLost = false;
    watchSubscription(sink, newSubscription);
  }

  /**
   * Part 4 §5.13.1.1: the server answers a Publish at least every keep-alive interval (as revised by the server).
   * Two of them without an answer on a working connection: the server no longer has our session or subscription.
   */
  function watchSubscription(sink: ConnectorSink, watched: ClientSubscription): void {
    if (healthTimer) clearInterval(healthTimer);
    lastPublishResponseAtMs = now();
    const keepAliveMs = watched.maxKeepAliveCount * watched.publishingInterval;
    const silenceLimitMs = 2 * keepAliveMs + watched.publishingInterval;
    healthTimer = setInterval(() => {
      const isWatching = subscription === watched && !isStopping && !isBuilding && rebuildTimer === null;
      if (!isWatching || connectionLostAtMs !== null) return;
      if (now() - lastPublishResponseAtMs <= silenceLimitMs) return;
      logger.warn({ endpointUrl, silentMs: now() - lastPublishResponseAtMs }, 'no Publish response: session lost');
      goOffline(sink, 'no Publish response from the server', lastPublishResponseAtMs);
      scheduleRebuild(sink);
    }, keepAliveMs);
    healthTimer.unref();
  }

  /**
   * After a re-established connection the session and subscription go on (republished notifications fill the
   * gap), but an unchanged node sends nothing: Read every node (Part 4 §5.10.2) so that machines the watchdog put
   * OFFLINE meanwhile get their current state back.
   */
  async function readCurrentValues(sink: ConnectorSink): Promise<void> {
    const ua = opcua;
    const readSession = session;
    if (!ua || !readSession) return;
    const readAtMs = now();
    const dataValues = await readSession.read(
      nodes.map((node) => ({ nodeId: node.nodeId, attributeId: ua.AttributeIds.Value })),
    );
    dataValues.forEach((dataValue, index) => {
      const mapping = nodes[index];
      // Unknown nodes were dead-lettered when they were monitored; once is enough.
      if (mapping && dataValue.statusCode.name !== 'BadNodeIdUnknown')
        handleChange(sink, mapping, dataValue, ua, readAtMs);
    });
    isDataLost = false;
  }

  function scheduleRebuild(sink: ConnectorSink): void {
    if (isStopping || rebuildTimer || isBuilding) return;
    const delayMs = rebuildDelayMs;
    rebuildDelayMs = Math.min(reconnectMaxDelayMs, rebuildDelayMs * 2);
    rebuildTimer = setTimeout(() => {
      rebuildTimer = null;
      void rebuild(sink);
    }, delayMs);
  }

  async function rebuild(sink: ConnectorSink): Promise<void> {
    if (isStopping) return;
    isBuilding = true;
    const oldSession = session;
    session = null;
    subscription = null;
    await oldSession?.close(false).catch(() => {});
    try {
      await build(sink);
    } catch (error) {
      status.lastError = errorText(error);
      logger.warn({ error: status.lastError }, 'cannot re-create the session; retrying');
      isBuilding = false;
      scheduleRebuild(sink);
      return;
    }
    isBuilding = false;
  }

  async function connectAndBuild(sink: ConnectorSink): Promise<void> {
    const ua = await import('node-opcua');
    opcua = ua;
    const clientCertificateManager = new ua.OPCUACertificateManager({
      rootFolder: pkiDir,
      // Trust on first use of the server certificate: the endpoint URL is the admin's explicit choice.
      automaticallyAcceptUnknownCertificate: true,
    });
    await clientCertificateManager.initialize();
    if (isStopping) return;
    const securityModes = {
      None: ua.MessageSecurityMode.None,
      Sign: ua.MessageSecurityMode.Sign,
      SignAndEncrypt: ua.MessageSecurityMode.SignAndEncrypt,
    } as const;
    const securityPolicy =
      securityMode === 'None' ? ua.SecurityPolicy.None : ua.SecurityPolicy[options.securityPolicy ?? 'Basic256Sha256'];
    const opcuaClient = ua.OPCUAClient.create({
      applicationName: 'Takt bridge',
      endpointMustExist: false,
      securityMode: securityModes[securityMode],
      securityPolicy,
      clientCertificateManager,
      keepSessionAlive: true,
      requestedSessionTimeout: 60_000,
      connectionStrategy: {
        initialDelay: reconnectInitialDelayMs,
        maxDelay: reconnectMaxDelayMs,
        maxRetry: 1_000_000_000,
      },
    });
    client = opcuaClient;
    opcuaClient.on('backoff', (retry, delayMs) =>
      logger.debug({ retry, delayMs }, 'connection attempt failed; backing off'),
    );
    opcuaClient.on('connection_lost', () => {
      if (!isStopping) logger.warn({ endpointUrl }, 'connection lost');
      connectionLostAtMs ??= now();
      status.isConnected = false;
      sink.setSourceStatus?.(info, { isConnected: false });
    });
    opcuaClient.on('connection_reestablished', () => {
      status.isConnected = true;
      status.connectCount += 1;
      sink.setSourceStatus?.(info, { isConnected: true });
      logger.info({ endpointUrl }, 'connection re-established');
      connectionLostAtMs = null;
      lastPublishResponseAtMs = now();
      readCurrentValues(sink).catch((error: unknown) =>
        logger.warn({ error: errorText(error) }, 'cannot read the current values after reconnecting'),
      );
    });
    await opcuaClient.connect(endpointUrl);
    if (isStopping) return;
    status.isConnected = true;
    status.connectCount += 1;
    sink.setSourceStatus?.(info, { isConnected: true });
    logger.info({ endpointUrl, securityMode }, 'connected');
    await build(sink);
  }

  return {
    code,
    kind: 'OPCUA',
    ready,
    start(sink) {
      if (isStarted) throw new Error(`source ${code} already started`);
      isStarted = true;
      connectAndBuild(sink).catch((error: unknown) => {
        status.lastError = errorText(error);
        logger.error({ endpointUrl, error: status.lastError }, 'OPC UA source failed to start; retrying');
        if (session === null) scheduleRebuild(sink);
      });
    },
    async stop() {
      isStopping = true;
      if (rebuildTimer) clearTimeout(rebuildTimer);
      if (healthTimer) clearInterval(healthTimer);
      const closing = session;
      session = null;
      subscription = null;
      await closing?.close(true).catch(() => {});
      await client?.disconnect().catch(() => {});
      client = null;
      status.isConnected = false;
      logger.info('disconnected');
    },
    status() {
      return { ...status };
    },
  };
}
