// The admin-API attacks (threat model in docs/reliability.md) on a Node-RED with adminAuth: the
// same refusals for a signed-in editor user.
import { adminRouteSuite } from './admin-routes.suite';

adminRouteSuite(true);
