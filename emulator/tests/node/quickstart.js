// Both generic Node.js clients against an emulator on 127.0.0.1:8080 (SMARTAG_ENDPOINT), with
// its well-known development key.
const assert = require('node:assert');
const { RPCClient } = require('@alicloud/pop-core');
const OpenApi = require('@alicloud/openapi-client');
const OpenApiUtil = require('@alicloud/openapi-util').default;
const { RuntimeOptions } = require('@alicloud/tea-util');

const endpoint = process.env.SMARTAG_ENDPOINT || '127.0.0.1:8080';
const key = { accessKeyId: 'smartag-emulator', accessKeySecret: 'smartag-emulator-dev-secret' };
const user = { RegionId: 'cn-shanghai', SmartAGId: 'sag-app1', UserName: 'quickstart1' };

// @alicloud/openapi-client: ACS3-HMAC-SHA256 signing, or RPC signing with signatureAlgorithm 'v2'.
function openApi(signatureAlgorithm) {
  return new OpenApi.default(new OpenApi.Config({ ...key, endpoint, protocol: 'http', signatureAlgorithm }));
}
async function callApi(client, action, query) {
  const params = new OpenApi.Params({
    action, version: '2018-03-13', protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const request = new OpenApi.OpenApiRequest({ query: OpenApiUtil.query(query) });
  return (await client.callApi(params, request, new RuntimeOptions({}))).body;
}

async function main() {
  const created = await callApi(openApi(), 'CreateSmartAccessGatewayClientUser',
    { ...user, Password: 'duuf1234', UserMail: 'username@example.com' });
  assert.strictEqual(created.UserName, 'quickstart1');

  // @alicloud/pop-core: RPC signing (HMAC-SHA1); its endpoint is a URL.
  const pop = new RPCClient({ ...key, endpoint: `http://${endpoint}`, apiVersion: '2018-03-13' });
  const page = await pop.request('DescribeSmartAccessGatewayClientUsers', user);
  assert.deepStrictEqual(page.Users.User.map((u) => [u.UserName, u.UserMail]), [['quickstart1', 'username@example.com']]);

  await callApi(openApi('v2'), 'DeleteSmartAccessGatewayClientUser', user);
  // Errors carry the service's code and HTTP status.
  await assert.rejects(pop.request('DeleteSmartAccessGatewayClientUser', user, { method: 'POST' }),
    (e) => e.code === 'ResourceNotFound.User' && e.entry.response.statusCode === 400);
  await assert.rejects(callApi(openApi(), 'DeleteSmartAccessGatewayClientUser', user),
    (e) => e.code === 'ResourceNotFound.User' && e.data.statusCode === 400);
  console.log('quickstart: ok');
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
