'use strict';
// Reads the topic from the beginning with a fresh consumer group until the record whose eventId
// is the one asked for, decoding every value with @kafkajs/confluent-schema-registry, which
// fetches the writer schema by the id in the wire format from the registry we are pointed at.
// Prints the decoded record as one JSON line (exit 0), or exits 1 after the timeout.

const crypto = require('crypto');
const { options, CONNECTION, kafka, registry, run } = require('./common');

run(async () => {
  const opts = options(process.argv.slice(2), {
    ...CONNECTION,
    'event-id': { required: true },
    'timeout-ms': { fallback: '30000' },
  });
  const timeoutMs = Number(opts['timeout-ms']);
  const schemas = registry(opts);
  const consumer = kafka(opts, 'channelstream-interop-consumer').consumer({
    groupId: `channelstream-interop-${crypto.randomUUID()}`,
    readUncommitted: false,
  });

  let finish;
  const outcome = new Promise((resolve) => { finish = resolve; });
  const timer = setTimeout(() => finish({ found: false }), timeoutMs);

  await consumer.connect();
  try {
    await consumer.subscribe({ topic: opts.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (!message.value) return;
        let record;
        try {
          record = await schemas.decode(message.value);
        } catch (error) {
          process.stderr.write(`partition ${partition} offset ${message.offset}: cannot decode: ${error.message}\n`);
          return;
        }
        if (record && record.eventId === opts['event-id']) {
          finish({ found: true, record });
        }
      },
    });
    const result = await outcome;
    clearTimeout(timer);
    if (!result.found) {
      process.stderr.write(`no record with eventId ${opts['event-id']} on ${opts.topic} within ${timeoutMs} ms\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(result.record)}\n`);
    return 0;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
});
