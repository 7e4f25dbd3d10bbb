// The admin-API attacks (threat model in docs/reliability.md) on a Node-RED without adminAuth
// (its default): any web page can reach the admin API.
import { adminRouteSuite } from './admin-routes.suite';

adminRouteSuite(false);
