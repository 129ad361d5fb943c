/** The shared connector suite against the Shoper mock: in-process, and over a real socket. */
import { runConnectorConformance } from '../conformance.ts'
import { shoperConnector } from './shoper.connector.ts'
import { testShop } from './shoper.testing.ts'

for (const overHttp of [false, true]) {
  runConnectorConformance(overHttp ? 'shoper over HTTP' : 'shoper', async () => {
    const shop = await testShop({ count: 137, overHttp })
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
