// "Simplify" for list operations: key fields of each record, flat and readable.
import type { IDataObject } from 'n8n-workflow';
import type { ResourceName } from '../../core/operations';
import { ALERT_RESOLUTION_STATUSES, ALERT_SEVERITIES } from '../../core';

type Rec = Record<string, unknown>;
const iso = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString() : typeof v === 'string' ? v : undefined);
const nameOf = (list: readonly { name: string; value: number }[], v: unknown): string | undefined => list.find((o) => o.value === v)?.name;

function clean(o: Rec): IDataObject {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v as IDataObject[string];
	return out;
}

export function simplifyRecord(resource: ResourceName, record: unknown): IDataObject {
	const r = (record ?? {}) as Rec;
	switch (resource) {
		case 'alert': {
			const entities = Array.isArray(r.entities) ? (r.entities as Rec[]) : [];
			const labels = (type: string) => entities.filter((e) => e.type === type).map((e) => String(e.label ?? e.id));
			return clean({
				id: r._id,
				title: r.title,
				severity: nameOf(ALERT_SEVERITIES, r.severityValue),
				severityValue: r.severityValue,
				resolutionStatus: nameOf(ALERT_RESOLUTION_STATUSES, r.resolutionStatusValue),
				resolutionStatusValue: r.resolutionStatusValue,
				open: r.resolutionStatusValue === 0,
				read: r.statusValue === 1,
				time: iso(r.timestamp),
				users: labels('user'),
				ips: labels('ip'),
				apps: labels('service'),
				policy: (r.policy as Rec | undefined)?.label,
				url: r.URL,
			});
		}
		case 'activity': {
			const device = (r.device ?? {}) as Rec;
			const location = (r.location ?? {}) as Rec;
			const user = (r.user ?? {}) as Rec;
			return clean({
				id: r._id,
				time: iso(r.timestamp),
				app: r.appName,
				appId: r.appId,
				action: r.actionType ?? r.eventTypeValue,
				description: r.description,
				user: user.userName,
				ip: device.clientIP,
				country: location.countryCode,
				adminEvent: r.adminEvent,
			});
		}
		case 'entity':
			return clean({
				id: r.id,
				objectId: r._id,
				displayName: r.displayName,
				email: r.email,
				domain: r.domain,
				type: r.type === 2 ? 'User' : r.type === 1 ? 'Account' : r.type,
				isAdmin: r.isAdmin,
				isExternal: r.isExternal,
				lastSeen: r.lastSeen,
				app: (r.appData as Rec | undefined)?.name,
			});
		case 'file':
			return clean({
				id: r._id,
				name: r.name,
				app: r.appName,
				owner: r.ownerAddress,
				sharing: Array.isArray(r.fileAccessLevel) ? r.fileAccessLevel[1] : r.fileAccessLevel,
				type: Array.isArray(r.fileType) ? r.fileType[1] : r.fileType,
				modified: iso(r.modifiedDate),
				quarantined: r.quarantined,
				link: r.alternateLink,
			});
		default:
			return r as IDataObject;
	}
}
