/**
 * The shared connector suite against the Shoper mock in each of its list-parameter modes
 * (honour, ignore, refuse undocumented parameters): in-process, and over a real socket.
 */
import { runConnectorConformance } from '../conformance.ts'
import { shoperConnector } from './shoper.connector.ts'
import { SHOPER_LIST_PARAM_MODES } from './shoper.mock-surface.ts'
import { testShop } from './shoper.testing.ts'

for (const listParams of SHOPER_LIST_PARAM_MODES) {
  for (const overHttp of [false, true]) {
    runConnectorConformance(`shoper (${listParams} undocumented parameters${overHttp ? ', over HTTP' : ''})`, async () => {
      const shop = await testShop({ count: 137, overHttp, listParams, bulkCharge: overHttp ? 'operation' : 'request' })
      return {
        connector: shoperConnector,
        credentials: shop.credentials,
        badCredentials: shop.badCredentials,
        http: shop.http,
        expectedCustomers: shop.mock.data.users.filter((u) => u.registered === '1').length,
        close: shop.close,
      }
    })
  }
}
