// The official OpenAI client library (npm package `openai`) against a RouterLab server: the
// replay server, or the routing proxy in front of one. Run by tests/test_openai_client.cpp;
// by hand:
//
//   node check_openai_client.mjs --base-url URL --model MODEL --prompt TEXT
//        [--key-env NAME] [--embedding-dimension D]
//
// --prompt must be one the server answers (the replay server knows only its dataset's
// prompts). --key-env names the environment variable holding the key the server requires;
// then a wrong key must be refused with 401. --embedding-dimension D checks POST /embeddings
// (the server's vector size is D); without it the embeddings check is not run.
//
// Prints one line per check ("ok NAME: ..." or "FAILED NAME: ..."), then a summary line;
// exits 1 when any check failed, 2 on bad arguments.
//
// The pinned openai 6.x has no dependencies and runs on Debian 12's Node.js 18 as on 20: the
// 4.x line streams through node-fetch 2, which fails streamed answers with "Premature close"
// on Debian's Node.js 18.20 (from Node's own HTTP server too); 7.x needs Node.js 22.
import OpenAI from 'openai';
import { VERSION } from 'openai/version';
import { parseArgs } from 'node:util';

function usage(message) {
  console.error(`check_openai_client: ${message}`);
  console.error('usage: node check_openai_client.mjs --base-url URL --model MODEL ' +
                '--prompt TEXT [--key-env NAME] [--embedding-dimension D]');
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: {
      'base-url': { type: 'string' },
      model: { type: 'string' },
      prompt: { type: 'string' },
      'key-env': { type: 'string' },
      'embedding-dimension': { type: 'string' },
    },
  }).values;
} catch (e) {
  usage(e.message);
}
for (const required of ['base-url', 'model', 'prompt'])
  if (!options[required]) usage(`--${required} is required`);
const baseURL = options['base-url'];
const model = options.model;
const prompt = options.prompt;
const keyEnv = options['key-env'];
const apiKey = keyEnv ? process.env[keyEnv] : 'no-key-needed';
if (keyEnv && !apiKey) usage(`--key-env ${keyEnv}: the environment variable is unset or empty`);
let dimension = 0;
if (options['embedding-dimension'] !== undefined) {
  dimension = Number(options['embedding-dimension']);
  if (!Number.isInteger(dimension) || dimension < 1)
    usage('--embedding-dimension must be a positive whole number, ' +
          `not "${options['embedding-dimension']}"`);
}

// No retries: a fault must show, not be papered over; the timeout keeps a stuck server from
// stalling the test.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20000 });
const messages = [{ role: 'user', content: prompt }];

class CheckFailure extends Error {}
function expect(condition, message) {
  if (!condition) throw new CheckFailure(message);
}
function checkUsage(usage, where) {
  expect(usage && typeof usage === 'object', `${where}: no usage`);
  const { prompt_tokens: input, completion_tokens: output, total_tokens: total } = usage;
  expect(Number.isInteger(input) && input > 0 && Number.isInteger(output) && output > 0,
         `${where}: usage without token counts: ${JSON.stringify(usage)}`);
  expect(total === input + output, `${where}: total_tokens ${total} is not ${input} + ${output}`);
  return `usage ${input}+${output}=${total} tokens`;
}
// The error the client raised for an expected refusal, as the class and status it must have.
async function expectRefusal(call, errorClass, status) {
  try {
    await call();
  } catch (e) {
    expect(e instanceof errorClass && e instanceof OpenAI.APIError && e.status === status,
           `expected ${errorClass.name} with status ${status}, got ` +
           `${e?.constructor?.name} (status ${e?.status}): ${e?.message}`);
    return `${errorClass.name} ${e.status}: ${e.message}`;
  }
  throw new CheckFailure(`expected ${errorClass.name} with status ${status}, ` +
                         'but the call succeeded');
}

let whole = null; // the non-streamed answer, for the streamed one to be compared with

const checks = [
  ['chat', async () => {
    const answer = await client.chat.completions.create({ model, messages });
    const content = answer.choices?.[0]?.message?.content;
    expect(typeof content === 'string' && content.length > 0, 'the answer has no content');
    expect(answer.choices[0].finish_reason === 'stop',
           `finish_reason is ${answer.choices[0].finish_reason}, not stop`);
    whole = { model: answer.model, content };
    return `${content.length} characters from ${answer.model}, ${checkUsage(answer.usage, 'chat')}`;
  }],
  ['chat-stream', async () => {
    const stream = await client.chat.completions.create({
      model, messages, stream: true, stream_options: { include_usage: true },
    });
    let content = '';
    let chunks = 0;
    let usageChunks = 0;
    let usage = null;
    let answeredBy = null;
    for await (const chunk of stream) {
      ++chunks;
      answeredBy = chunk.model ?? answeredBy;
      content += chunk.choices?.[0]?.delta?.content ?? '';
      if (chunk.usage) {
        ++usageChunks;
        usage = chunk.usage;
      }
    }
    expect(content.length > 0, `no content in ${chunks} chunks`);
    expect(usageChunks === 1, `${usageChunks} chunks carried usage, expected 1`);
    // The same model answers the same prompt with the same recorded text.
    if (whole && whole.model === answeredBy)
      expect(content === whole.content, `the streamed answer of ${answeredBy} differs from ` +
             `its whole answer (${content.length} vs ${whole.content.length} characters)`);
    return `${content.length} characters in ${chunks} chunks from ${answeredBy}, ` +
           checkUsage(usage, 'the usage chunk');
  }],
  ['unknown-model', () => expectRefusal(
      () => client.chat.completions.create({ model: 'no-such-model-in-routerlab', messages }),
      OpenAI.NotFoundError, 404)],
];
if (keyEnv)
  checks.push(['wrong-key', () => {
    const wrong = new OpenAI({ baseURL, apiKey: `${apiKey}-wrong`, maxRetries: 0,
                               timeout: 20000 });
    return expectRefusal(() => wrong.chat.completions.create({ model, messages }),
                         OpenAI.AuthenticationError, 401);
  }]);
if (dimension > 0)
  checks.push(['embeddings', async () => {
    const input = [prompt, 'a second text, with other words'];
    // The client's default asks for base64 and decodes it into Float32Arrays.
    const packed = await client.embeddings.create({ model, input });
    const plain = await client.embeddings.create({ model, input, encoding_format: 'float' });
    expect(packed.data?.length === input.length && plain.data?.length === input.length,
           `expected ${input.length} vectors, got ${packed.data?.length} (base64) and ` +
           `${plain.data?.length} (float)`);
    let nonZero = 0;
    for (let i = 0; i < input.length; ++i) {
      const a = packed.data[i].embedding;
      const b = plain.data[i].embedding;
      expect(a.length === dimension && b.length === dimension,
             `vector ${i}: ${a.length} values (base64) and ${b.length} (float), ` +
             `the server's dimension is ${dimension}`);
      for (let j = 0; j < dimension; ++j) {
        expect(a[j] === b[j], `vector ${i} value ${j}: ${a[j]} (base64) but ${b[j]} (float)`);
        nonZero += a[j] !== 0;
      }
    }
    expect(nonZero > 0, 'every value is 0');
    return `${input.length} vectors of ${dimension}, base64 and float agree on every value`;
  }]);

let failed = 0;
for (const [name, check] of checks) {
  try {
    console.log(`ok ${name}: ${await check()}`);
  } catch (e) {
    ++failed;
    const why = e instanceof CheckFailure ? e.message : `${e?.constructor?.name}: ${e?.message}`;
    console.log(`FAILED ${name}: ${why}`);
  }
}
console.log(`openai ${VERSION} on Node.js ${process.versions.node} against ${baseURL}: ` +
            `${checks.length - failed} of ${checks.length} checks passed`);
process.exit(failed === 0 ? 0 : 1);
