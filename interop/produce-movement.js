'use strict';
// Produces one StockMovementRecorded with an independent client: the schema id comes from the
// registry we are pointed at (latest version of subject <topic>-value), the value is encoded by
// @kafkajs/confluent-schema-registry (Confluent wire format) and written by kafkajs.
// Prints {"topic", "partition", "offset", "eventId", "schemaId"} as one JSON line.

const crypto = require('crypto');
const { Partitioners } = require('kafkajs');
const { options, CONNECTION, kafka, registry, run } = require('./common');

const DAY_MS = 24 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' → days since the epoch, the Avro `date` logical type's int. */
function epochDay(text) {
  if (text === undefined || text === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`not a date (YYYY-MM-DD): ${text}`);
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${text}`);
  return Math.floor(ms / DAY_MS);
}

/** ISO instant or epoch millis → epoch millis, the Avro `timestamp-millis` logical type's long. */
function epochMillis(text) {
  if (text === undefined || text === '') return Date.now();
  if (/^-?\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${text}`);
  return ms;
}

function optionalInt(text, name) {
  if (text === undefined || text === '') return null;
  if (!/^-?\d+$/.test(text)) throw new Error(`--${name} must be an integer, was ${text}`);
  return Number(text);
}

run(async () => {
  const opts = options(process.argv.slice(2), {
    ...CONNECTION,
    key: { env: 'KEY' },
    'event-id': { fallback: crypto.randomUUID() },
    'occurred-at': {},
    source: { fallback: 'interop:kafkajs' },
    location: { required: true },
    sku: { required: true },
    batch: { required: true },
    kind: { required: true },
    quantity: { required: true },
    'production-date': {},
    'expiry-date': {},
    reference: {},
    'unit-price-fen': {},
  });

  const movement = {
    eventId: opts['event-id'],
    occurredAt: epochMillis(opts['occurred-at']),
    source: opts.source,
    locationId: opts.location,
    sku: opts.sku,
    batch: opts.batch,
    kind: opts.kind,
    quantity: optionalInt(opts.quantity, 'quantity'),
    productionDate: epochDay(opts['production-date']),
    expiryDate: epochDay(opts['expiry-date']),
    reference: opts.reference === undefined ? null : opts.reference,
    unitPriceFen: optionalInt(opts['unit-price-fen'], 'unit-price-fen'),
  };

  const schemas = registry(opts);
  const schemaId = await schemas.getLatestSchemaId(`${opts.topic}-value`);
  const value = await schemas.encode(schemaId, movement);

  // DefaultPartitioner is murmur2 like Java's, so the key lands where our own producer puts it.
  const producer = kafka(opts, 'channelstream-interop-producer')
    .producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const [metadata] = await producer.send({
      topic: opts.topic,
      acks: -1,
      messages: [{ key: opts.key === undefined ? opts.location : opts.key, value }],
    });
    process.stdout.write(`${JSON.stringify({
      topic: metadata.topicName,
      partition: metadata.partition,
      offset: Number(metadata.baseOffset),
      eventId: movement.eventId,
      schemaId,
    })}\n`);
  } finally {
    await producer.disconnect();
  }
  return 0;
});
