// The MDCA alert → XDR incident link (see incidents.ts for the field choice).
import { JsonObject } from '../jwt';

export function incidentHasMdcaAlert(incident: JsonObject, mdcaAlertId: string): boolean {
  const alerts = Array.isArray(incident.alerts) ? (incident.alerts as JsonObject[]) : [];
  return alerts.some((a) => a.providerAlertId === mdcaAlertId || a.alertId === `ca${mdcaAlertId}`);
}
