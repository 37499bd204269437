#!/usr/bin/env node
// Drives the generic official Node.js clients against a running smartag-emulator.
//
// Three flavors, each on a freshly reset account:
//   pop-core   @alicloud/pop-core RPCClient (RPC signing, HMAC-SHA1), GET and POST
//   acs3       @alicloud/openapi-client callApi, default signing (ACS3-HMAC-SHA256)
//   v2         @alicloud/openapi-client callApi with signatureAlgorithm 'v2' (its RPC mode:
//              HMAC-SHA1, the parameters in the query)
//
// Every operation the emulator serves runs once to success (checking the fields of the answer)
// and once to an error (checking the exact code and HTTP status); a wrong secret must give 400
// SignatureDoesNotMatch and an unknown key 404 InvalidAccessKeyId.NotFound. A DeleteEnterpriseCode
// retried with its ClientToken answers success again and deletes once. A user connected through
// POST /_emulator/online is listed by DescribeUserOnlineClients, then kicked out by KickOutClients
// (its user parameter is Username).
//
// The emulator must have been started with the fixtures of ../sdk/fixtures.txt:
//   cargo run -p smartag-emulator -- --fixtures emulator/tests/sdk/fixtures.txt
//
// usage: node e2e.js [--endpoint HOST:PORT] [--key ID] [--secret SECRET]
// (defaults: SMARTAG_ENDPOINT or 127.0.0.1:8080, and the emulator's well-known key)
// Exit status 0 when every check passed; 1 with the failures listed otherwise.

'use strict';

const http = require('http');
const RPCClient = require('@alicloud/pop-core').RPCClient;
const OpenApi = require('@alicloud/openapi-client');
const OpenApiUtil = require('@alicloud/openapi-util').default;
const { RuntimeOptions } = require('@alicloud/tea-util');

const VERSION = '2018-03-13';
// The emulator's documented development key (smartag_emulator::WELL_KNOWN_KEY_ID / _SECRET).
const WELL_KNOWN_KEY_ID = 'smartag-emulator';
const WELL_KNOWN_KEY_SECRET = 'smartag-emulator-dev-secret';

const failures = [];
let checks = 0;

function check(label, condition, detail = '') {
  checks += 1;
  if (!condition) failures.push(`${label}: ${detail}`);
}

class ApiError extends Error {
  constructor(code, status) {
    super(`${status} ${code}`);
    this.code = code;
    this.status = status;
  }
}

/** Resets the key's account to the emulator's start fixtures (control endpoint, HTTP Basic). */
function reset(endpoint, key, secret) {
  const [host, port] = endpoint.split(':');
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, path: '/_emulator/reset', method: 'POST', auth: `${key}:${secret}`, timeout: 10000 },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`reset: ${response.statusCode}`)));
      });
    request.on('error', reject);
    request.end();
  });
}

/** Connects a client user through the control endpoint (HTTP Basic, a form body): its ClientIp
 * and OnlineTime. */
function connect(endpoint, key, secret, smartAgId, userName) {
  const [host, port] = endpoint.split(':');
  const body = `SmartAGId=${encodeURIComponent(smartAgId)}&UserName=${encodeURIComponent(userName)}`;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host, port, path: '/_emulator/online', method: 'POST', auth: `${key}:${secret}`, timeout: 10000,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`online: ${response.statusCode} ${text}`));
          const answer = JSON.parse(text);
          return resolve([answer.ClientIp, answer.OnlineTime]);
        });
      });
    request.on('error', reject);
    request.end(body);
  });
}

/** DescribeUserOnlineClients and KickOutClients of doctest1 on sag-app1, connected twice through
 * the control endpoint. */
async function onlineClients(flavor, p, app1, control) {
  const sessions = [
    await connect(control.endpoint, control.key, control.secret, 'sag-app1', 'doctest1'),
    await connect(control.endpoint, control.key, control.secret, 'sag-app1', 'doctest1'),
  ];
  check(`${p}connect: the lowest free hosts`, same(sessions.map(([ip]) => ip), ['10.0.0.1', '10.0.0.2']),
    show(sessions));
  const online = (body) => ((body.Users || {}).User || []).map((u) => [u.ClientIp, u.OnlineTime]);
  let body = await expectOk(flavor, `${p}describe online`, 'DescribeUserOnlineClients',
    { ...app1, UserName: 'doctest1' });
  if (body) {
    // OnlineTime travels as text, as the API model has it.
    check(`${p}describe online: the sessions`,
      same(online(body), sessions.map(([ip, t]) => [ip, String(t)])), show(online(body)));
  }
  body = await expectOk(flavor, `${p}describe online, no such user`, 'DescribeUserOnlineClients',
    { ...app1, UserName: 'nobody12' });
  check(`${p}describe online, no such user: none`, body && online(body).length === 0, show(body));
  await expectError(flavor, `${p}describe online short name`, 'DescribeUserOnlineClients',
    'ClientUser.NameInvalid', 400, { ...app1, UserName: 'abc' });
  await expectError(flavor, `${p}describe online elsewhere`, 'DescribeUserOnlineClients',
    'SAG.InstanceNoFound', 400, { RegionId: 'cn-beijing', SmartAGId: 'sag-app1', UserName: 'doctest1' });
  await expectOk(flavor, `${p}kick out`, 'KickOutClients', { ...app1, Username: 'doctest1' });
  body = await expectOk(flavor, `${p}describe online after the kick-out`, 'DescribeUserOnlineClients',
    { ...app1, UserName: 'doctest1' });
  check(`${p}kicked out: none online`, body && online(body).length === 0, show(body));
  await expectError(flavor, `${p}kick out short name`, 'KickOutClients',
    'ClientUser.NameInvalid', 400, { ...app1, Username: 'abc' });
  await expectError(flavor, `${p}kick out nowhere`, 'KickOutClients',
    'SAG.InstanceNoFound', 400, { RegionId: 'cn-shanghai', SmartAGId: 'sag-nothing', Username: 'doctest1' });
}

// ---------------------------------------------------------------- @alicloud/pop-core

/** pop-core's RPCClient: the action and a flat map of parameters, signed with HMAC-SHA1. */
class PopCoreFlavor {
  constructor(endpoint, key, secret) {
    this.client = new RPCClient({
      accessKeyId: key,
      accessKeySecret: secret,
      endpoint: `http://${endpoint}`,
      apiVersion: VERSION,
    });
    this.calls = 0;
  }

  async call(action, params) {
    // Every other call is a POST (the parameters in a form body), the rest GETs.
    this.calls += 1;
    const method = this.calls % 2 ? 'GET' : 'POST';
    try {
      return await this.client.request(action, stringify(params), { method, timeout: 10000 });
    } catch (e) {
      if (e.code && e.entry) throw new ApiError(e.code, e.entry.response.statusCode);
      throw e;
    }
  }
}

// ---------------------------------------------------------------- @alicloud/openapi-client

/** openapi-client's generic callApi, as the generated product clients call it (RPC style, the
 * parameters in the query). */
class OpenApiFlavor {
  constructor(endpoint, key, secret, signatureAlgorithm) {
    const config = new OpenApi.Config({
      accessKeyId: key,
      accessKeySecret: secret,
      endpoint,
      protocol: 'http',
      regionId: 'cn-shanghai',
      readTimeout: 10000,
      connectTimeout: 5000,
    });
    if (signatureAlgorithm) config.signatureAlgorithm = signatureAlgorithm;
    this.client = new OpenApi.default(config);
  }

  async call(action, params) {
    const api = new OpenApi.Params({
      action,
      version: VERSION,
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const request = new OpenApi.OpenApiRequest({ query: OpenApiUtil.query(stringify(params)) });
    try {
      return (await this.client.callApi(api, request, new RuntimeOptions({}))).body;
    } catch (e) {
      if (e.code && e.data && e.data.statusCode) throw new ApiError(e.code, e.data.statusCode);
      throw e;
    }
  }
}

function stringify(params) {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}

// ---------------------------------------------------------------- what the answers hold

function user(body) {
  const { UserName, UserMail, Bandwidth, ClientIp, RequestId } = body;
  return { UserName, UserMail, Bandwidth, ClientIp, RequestId };
}

function page(body) {
  const users = (body.Users && body.Users.User) || [];
  return {
    TotalCount: body.TotalCount,
    PageNumber: body.PageNumber,
    PageSize: body.PageSize,
    Users: users.map(({ UserName, UserMail, Bandwidth, State, IsStaticIp, ClientIp }) =>
      ({ UserName, UserMail, Bandwidth, State, IsStaticIp, ClientIp })),
  };
}

function codes(body) {
  return {
    TotalCount: body.TotalCount,
    NextToken: body.NextToken,
    MaxResults: body.MaxResults,
    Codes: (body.EnterpriseCodes || []).map((c) => [c.EnterpriseCode, c.IsDefault]),
  };
}

function isRequestId(value) {
  return typeof value === 'string' && value.length === 36 && value.split('-').length === 5;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (value) => JSON.stringify(value);

// ---------------------------------------------------------------- the scenario

async function expectError(flavor, label, action, code, status, params) {
  try {
    await flavor.call(action, params);
  } catch (e) {
    if (e instanceof ApiError) {
      check(label, e.code === code && e.status === status,
        `expected ${status} ${code}, got ${e.status} ${e.code}`);
    } else {
      check(label, false, `expected ${status} ${code}, got ${e.name}: ${e.message}`);
    }
    return;
  }
  check(label, false, `expected ${status} ${code}, got success`);
}

async function expectOk(flavor, label, action, params) {
  try {
    return await flavor.call(action, params);
  } catch (e) {
    const got = e instanceof ApiError ? `${e.status} ${e.code}` : `${e.name}: ${e.message}`;
    check(label, false, `expected success, got ${got}`);
    return null;
  }
}

async function run(name, flavor, control) {
  const sh = { RegionId: 'cn-shanghai' };
  const app1 = { ...sh, SmartAGId: 'sag-app1' };
  const doctest1 = { ...app1, UserName: 'doctest1' };
  const p = `${name}: `;
  const software = { ...sh, UserCount: 5, Period: 1, AutoPay: true, ChargeType: 'PREPAY', DataPlan: 5 };

  // CreateSmartAccessGatewaySoftware
  let body = await expectOk(flavor, `${p}create software`, 'CreateSmartAccessGatewaySoftware', software);
  const newId = body ? body.SmartAGId : null;
  check(`${p}create software: SmartAGId`, typeof newId === 'string' && newId.startsWith('sag-'), show(newId));
  await expectError(flavor, `${p}create software UserCount=0`, 'CreateSmartAccessGatewaySoftware',
    'InvalidParameter', 400, { ...software, UserCount: 0 });

  // ModifySmartAccessGateway
  if (newId) {
    body = await expectOk(flavor, `${p}modify gateway`, 'ModifySmartAccessGateway',
      { ...sh, SmartAGId: newId, CidrBlock: '10.2.0.0/24' });
    check(`${p}modify gateway: RequestId`, body && isRequestId(body.RequestId), show(body));
    await expectError(flavor, `${p}modify gateway public block`, 'ModifySmartAccessGateway',
      'SAG.InvalidCidr', 400, { ...sh, SmartAGId: newId, CidrBlock: '8.8.8.0/24' });
  }

  // CreateEnterpriseCode, UpdateSmartAGEnterpriseCode
  await expectOk(flavor, `${p}create code`, 'CreateEnterpriseCode', { ...sh, EnterpriseCode: 'AB123' });
  await expectError(flavor, `${p}create code twice`, 'CreateEnterpriseCode',
    'EnterpriseCode.BeenOccupied', 400, { ...sh, EnterpriseCode: 'ab123' });
  if (newId) {
    await expectOk(flavor, `${p}bind code`, 'UpdateSmartAGEnterpriseCode',
      { ...sh, SmartAGId: newId, EnterpriseCode: 'AB123' });
  }
  await expectError(flavor, `${p}bind code to nothing`, 'UpdateSmartAGEnterpriseCode',
    'SAG.InstanceNoFound', 400, { ...sh, SmartAGId: 'sag-nothing', EnterpriseCode: 'AB123' });

  await enterpriseCodes(flavor, p, sh, newId !== null);

  // CreateSmartAccessGatewayClientUser
  body = await expectOk(flavor, `${p}create user`, 'CreateSmartAccessGatewayClientUser',
    { ...doctest1, Password: 'duuf1234', UserMail: 'username@example.com', Bandwidth: 20 });
  if (body) {
    const got = user(body);
    check(`${p}create user: fields`,
      same([got.UserName, got.UserMail, got.Bandwidth], ['doctest1', 'username@example.com', 20]), show(got));
    check(`${p}create user: RequestId`, isRequestId(got.RequestId), show(got.RequestId));
  }
  await expectError(flavor, `${p}create user twice`, 'CreateSmartAccessGatewayClientUser',
    'ClientUser.UserExist', 400, { ...doctest1, Password: 'duuf1234', UserMail: 'username@example.com' });
  await expectError(flavor, `${p}create user short name`, 'CreateSmartAccessGatewayClientUser',
    'ClientUser.NameInvalid', 400, { ...app1, UserName: 'abc', Password: 'duuf1234', UserMail: 'username@example.com' });
  await expectError(flavor, `${p}create user no region`, 'CreateSmartAccessGatewayClientUser',
    'MissingParameter', 403,
    { SmartAGId: 'sag-app1', UserName: 'doctest9', Password: 'duuf1234', UserMail: 'username@example.com' });

  // ModifySmartAccessGatewayClientUser
  body = await expectOk(flavor, `${p}modify user`, 'ModifySmartAccessGatewayClientUser',
    { ...doctest1, Bandwidth: 30, Email: 'new@example.com' });
  if (body) {
    const got = user(body);
    check(`${p}modify user: fields`, same([got.UserMail, got.Bandwidth], ['new@example.com', 30]), show(got));
  }
  await expectError(flavor, `${p}modify nobody`, 'ModifySmartAccessGatewayClientUser',
    'ResourceNotFound.User', 400, { ...app1, UserName: 'nobody12', Bandwidth: 30 });

  // DisableSmartAccessGatewayUser, DescribeSmartAccessGatewayClientUsers
  await expectOk(flavor, `${p}disable`, 'DisableSmartAccessGatewayUser', doctest1);
  await expectError(flavor, `${p}disable nobody`, 'DisableSmartAccessGatewayUser',
    'ResourceNotFound.User', 400, { ...app1, UserName: 'nobody12' });
  body = await expectOk(flavor, `${p}describe`, 'DescribeSmartAccessGatewayClientUsers', app1);
  if (body) {
    const got = page(body);
    check(`${p}describe: page`, same([got.TotalCount, got.PageNumber, got.PageSize], [1, 1, 10]), show(got));
    const first = got.Users[0] || {};
    check(`${p}describe: user`,
      same([first.UserName, first.UserMail, first.Bandwidth, first.State], ['doctest1', 'new@example.com', 30, 1]),
      show(first));
  }
  await expectError(flavor, `${p}describe PageSize=101`, 'DescribeSmartAccessGatewayClientUsers',
    'InvalidParameter', 400, { ...app1, PageSize: 101 });

  // EnableSmartAccessGatewayUser
  await expectOk(flavor, `${p}enable`, 'EnableSmartAccessGatewayUser', doctest1);
  await expectError(flavor, `${p}enable elsewhere`, 'EnableSmartAccessGatewayUser',
    'SAG.InstanceNoFound', 400, { RegionId: 'cn-beijing', SmartAGId: 'sag-app1', UserName: 'doctest1' });
  body = await expectOk(flavor, `${p}describe by name`, 'DescribeSmartAccessGatewayClientUsers',
    { ...app1, UserName: 'doctest1' });
  if (body) {
    const states = page(body).Users.map((u) => u.State);
    check(`${p}describe: enabled again`, same(states, [0]), show(states));
  }

  // DescribeUserOnlineClients, KickOutClients (doctest1 enabled, connected through the emulator)
  await onlineClients(flavor, p, app1, control);

  // ResetSmartAccessGatewayClientUserPassword
  await expectOk(flavor, `${p}reset password`, 'ResetSmartAccessGatewayClientUserPassword',
    { ...doctest1, Password: 'newpass12' });
  await expectError(flavor, `${p}reset password invalid`, 'ResetSmartAccessGatewayClientUserPassword',
    'ClientUser.PasswordInvalid', 400, { ...doctest1, Password: 'a.b' });

  // RoamClientUser
  const roam = {
    RegionId: 'ap-southeast-1', TargetSmartAGId: 'sag-app2',
    OriginRegionId: 'cn-shanghai', OriginSmartAGId: 'sag-app1', UserName: 'doctest1',
  };
  body = await expectOk(flavor, `${p}roam`, 'RoamClientUser', roam);
  check(`${p}roam: RequestId`, body && isRequestId(body.RequestId), show(body));
  await expectError(flavor, `${p}roam twice`, 'RoamClientUser', 'ClientUser.UserExist', 400, roam);

  // DeleteSmartAccessGatewayClientUser
  await expectOk(flavor, `${p}delete`, 'DeleteSmartAccessGatewayClientUser', doctest1);
  await expectError(flavor, `${p}delete twice`, 'DeleteSmartAccessGatewayClientUser',
    'ResourceNotFound.User', 400, doctest1);

  // An action the API does not have.
  await expectError(flavor, `${p}unknown action`, 'DescribeSmartAccessGatewayClientUserz',
    'InvalidAction.NotFound', 404, app1);
}

/** ListEnterpriseCode, UpdateEnterpriseCode, DeleteEnterpriseCode and ClientToken retries, after
 * AB123 was created (and bound to the new instance when `bound`). */
async function enterpriseCodes(flavor, p, sh, bound) {
  await expectOk(flavor, `${p}create code CD456`, 'CreateEnterpriseCode', { ...sh, EnterpriseCode: 'CD456' });
  const ef789 = { ...sh, EnterpriseCode: 'EF789', ClientToken: `${p}create-ef789` };
  await expectOk(flavor, `${p}create code EF789`, 'CreateEnterpriseCode', ef789);
  // The retry of a create with its token answers the first success (not BeenOccupied).
  await expectOk(flavor, `${p}create code EF789 retried`, 'CreateEnterpriseCode', ef789);

  // ListEnterpriseCode: two pages of two, in creation order.
  let body = await expectOk(flavor, `${p}list codes`, 'ListEnterpriseCode', { ...sh, MaxResults: 2 });
  let token = null;
  if (body) {
    const got = codes(body);
    token = got.NextToken;
    check(`${p}list codes: first page`,
      same([got.TotalCount, got.MaxResults, got.Codes], [3, 2, [['AB123', false], ['CD456', false]]]), show(got));
    check(`${p}list codes: a next token`, typeof token === 'string' && token.length === 32, show(token));
  }
  if (token) {
    body = await expectOk(flavor, `${p}list codes, next page`, 'ListEnterpriseCode',
      { RegionId: 'ap-southeast-1', MaxResults: 2, NextToken: token });
    if (body) {
      const got = codes(body);
      check(`${p}list codes: last page`, same([got.Codes, got.NextToken], [[['EF789', false]], '']), show(got));
    }
    await expectError(flavor, `${p}list codes, token of another listing`, 'ListEnterpriseCode',
      'InvalidParameter', 400, { ...sh, IsDefault: true, NextToken: token });
  }
  await expectError(flavor, `${p}list codes MaxResults=101`, 'ListEnterpriseCode',
    'InvalidParameter', 400, { ...sh, MaxResults: 101 });

  // UpdateEnterpriseCode: the one default code.
  await expectOk(flavor, `${p}make CD456 the default`, 'UpdateEnterpriseCode',
    { ...sh, EnterpriseCode: 'cd456', IsDefault: true });
  body = await expectOk(flavor, `${p}list the default`, 'ListEnterpriseCode', { ...sh, IsDefault: true });
  if (body) {
    const got = codes(body);
    check(`${p}list the default: CD456`, same([got.TotalCount, got.Codes], [1, [['CD456', true]]]), show(got));
  }
  await expectError(flavor, `${p}update a code never created`, 'UpdateEnterpriseCode',
    'EnterpriseCode.NotExist', 400, { ...sh, EnterpriseCode: 'ZZ999', IsDefault: true });

  // DeleteEnterpriseCode: the default, a bound code, then a retried delete that deletes once.
  await expectError(flavor, `${p}delete the default`, 'DeleteEnterpriseCode',
    'EnterpriseCode.DeleteLimit', 400, { ...sh, EnterpriseCode: 'CD456' });
  if (bound) {
    await expectError(flavor, `${p}delete a bound code`, 'DeleteEnterpriseCode',
      'EnterpriseCode.BeingUsed', 400, { ...sh, EnterpriseCode: 'AB123' });
  }
  const del = { ...sh, EnterpriseCode: 'EF789', ClientToken: `${p}delete-ef789` };
  await expectOk(flavor, `${p}delete EF789`, 'DeleteEnterpriseCode', del);
  body = await expectOk(flavor, `${p}delete EF789 retried with its token`, 'DeleteEnterpriseCode', del);
  check(`${p}retried delete: RequestId`, body && isRequestId(body.RequestId), show(body));
  body = await expectOk(flavor, `${p}list after the deletion`, 'ListEnterpriseCode', sh);
  if (body) {
    const got = codes(body);
    check(`${p}one deletion`, same(got.Codes.map(([c]) => c), ['AB123', 'CD456']), show(got));
  }
  await expectError(flavor, `${p}delete EF789 again without a token`, 'DeleteEnterpriseCode',
    'EnterpriseCode.NotExist', 400, { ...sh, EnterpriseCode: 'EF789' });
  await expectError(flavor, `${p}the delete's token on another code`, 'DeleteEnterpriseCode',
    'IdempotentParameterMismatch', 400, { ...del, EnterpriseCode: 'AB123' });
  await expectError(flavor, `${p}ClientToken of 65 characters`, 'DeleteEnterpriseCode',
    'InvalidParameter', 400, { ...sh, EnterpriseCode: 'AB123', ClientToken: 't'.repeat(65) });
}

function parseArgs(argv) {
  const args = {
    endpoint: process.env.SMARTAG_ENDPOINT || '127.0.0.1:8080',
    key: WELL_KNOWN_KEY_ID,
    secret: WELL_KNOWN_KEY_SECRET,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in args) || argv[i + 1] === undefined) {
      throw new Error(`usage: node e2e.js [--endpoint HOST:PORT] [--key ID] [--secret SECRET] (got ${argv[i]})`);
    }
    args[name] = argv[i + 1];
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const flavors = {
    'pop-core': (key, secret) => new PopCoreFlavor(args.endpoint, key, secret),
    acs3: (key, secret) => new OpenApiFlavor(args.endpoint, key, secret, null),
    v2: (key, secret) => new OpenApiFlavor(args.endpoint, key, secret, 'v2'),
  };
  const describe = { RegionId: 'cn-shanghai', SmartAGId: 'sag-app1' };
  for (const [name, make] of Object.entries(flavors)) {
    await reset(args.endpoint, args.key, args.secret);
    await run(name, make(args.key, args.secret), args);
    await expectError(make(args.key, `${args.secret}x`), `${name}: wrong secret`,
      'DescribeSmartAccessGatewayClientUsers', 'SignatureDoesNotMatch', 400, describe);
    await expectError(make('unknown-key', args.secret), `${name}: unknown key`,
      'DescribeSmartAccessGatewayClientUsers', 'InvalidAccessKeyId.NotFound', 404, describe);
  }
  for (const failure of failures) console.log(`FAIL ${failure}`);
  const count = Object.keys(flavors).length;
  console.log(`${checks - failures.length} of ${checks} checks passed across ${count} Node.js client flavors`);
  return failures.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(e);
  process.exitCode = 1;
});
