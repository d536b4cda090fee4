'use strict';
// Shared plumbing of the interop scripts: options, clients, and a logger that keeps stdout for
// the one JSON line each script prints (the Java test parses it).

const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

/** Parses `--name value` pairs; every option may also come from an environment variable. */
function options(argv, spec) {
  const given = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument ${arg}`);
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      given[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) {
        throw new Error(`option ${arg} needs a value`);
      }
      given[arg.slice(2)] = argv[++i];
    }
  }
  const result = {};
  for (const [name, { env, required, fallback }] of Object.entries(spec)) {
    let value = given[name];
    if (value === undefined && env) value = process.env[env];
    if (value === undefined) value = fallback;
    if (value === undefined && required) {
      throw new Error(`missing --${name}${env ? ` (or environment variable ${env})` : ''}`);
    }
    result[name] = value;
  }
  for (const name of Object.keys(given)) {
    if (!(name in spec)) throw new Error(`unknown option --${name}`);
  }
  return result;
}

/** The options every script shares: where the broker and our registry endpoint are. */
const CONNECTION = {
  bootstrap: { env: 'BOOTSTRAP_SERVERS', required: true },
  registry: { env: 'REGISTRY_URL', required: true },
  'registry-user': { env: 'REGISTRY_USER' },
  'registry-password': { env: 'REGISTRY_PASSWORD' },
  topic: { env: 'TOPIC', fallback: 'stock-movements' },
};

function stderrLogger() {
  return ({ namespace, level, label, log }) => {
    const { message, ...extra } = log;
    process.stderr.write(`[kafkajs ${label}] ${namespace}: ${message} ${JSON.stringify(extra)}\n`);
  };
}

function kafka(opts, clientId) {
  return new Kafka({
    clientId,
    brokers: opts.bootstrap.split(',').map((b) => b.trim()).filter(Boolean),
    logLevel: logLevel.WARN,
    logCreator: stderrLogger,
    retry: { retries: 5 },
  });
}

function registry(opts) {
  const auth = opts['registry-user']
    ? { username: opts['registry-user'], password: opts['registry-password'] || '' }
    : undefined;
  // No logicalTypes option: avsc then reads timestamp-millis as a plain long (epoch millis) and
  // date as a plain int (days since 1970-01-01); unions like ["null", int] take the bare value.
  return new SchemaRegistry({ host: opts.registry.replace(/\/+$/, ''), auth });
}

/** Runs main, printing a failure to stderr and exiting non-zero on any error. */
function run(main) {
  main().then(
    (code) => process.exit(code || 0),
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}

module.exports = { options, CONNECTION, kafka, registry, run };
