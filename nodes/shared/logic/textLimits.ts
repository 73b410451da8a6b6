/**
 * The longest text each CRM stores in each field the pack writes, one constant per CRM.
 * Every limit is applied to the final stored value (after HTML escaping and the key/marker
 * line a provider appends) by `fitText` / `singleLine` in ./text.
 */
import type { CrmName } from '../model';

/** HubSpot: any text property value set through the API (bodies are stored as HTML). */
export const HUBSPOT_TEXT_LIMITS = {
	propertyValue: 65_536,
} as const;

/** Salesforce field lengths from the object reference (describe `length`). */
export const SALESFORCE_TEXT_LIMITS = {
	/** Task / Event `Subject`. */
	subject: 255,
	/** Task / Event `Description` (plain text). */
	description: 32_000,
	/** Task `CallObject`, where the activity key lives. */
	callObject: 255,
	contentNoteTitle: 255,
	/**
	 * ContentNote `Content` (HTML) has no field limit short of the file size; the pack caps a
	 * note at this many characters so it stays readable in the notes panel.
	 */
	contentNote: 131_072,
	/** Legacy `Note`. */
	legacyNoteTitle: 80,
	legacyNoteBody: 32_000,
} as const;

/** Dataverse column lengths (MaxLength) of the tables the pack writes. */
export const DYNAMICS_TEXT_LIMITS = {
	/** phonecall / task / appointment `subject`. */
	activitySubject: 200,
	/** phonecall / task / appointment `description`. */
	activityDescription: 2_000,
	/** Where an activity's key lives. */
	subcategory: 250,
	/** phonecall `phonenumber`. */
	phoneNumber: 200,
	/** annotation `subject`. */
	noteSubject: 500,
	/** annotation `notetext`. */
	noteText: 100_000,
} as const;

/**
 * autoch.at CRM client activities. The activities endpoint is not publicly documented
 * (see providers/autochat/endpoints.ts): these are the pack's assumed limits, which the
 * local sandbox enforces the same way.
 */
export const AUTOCHAT_TEXT_LIMITS = {
	activitySubject: 255,
	activityBody: 10_000,
} as const;

/** The largest note body per CRM, for composing a note before a provider stores it. */
export const NOTE_BODY_LIMITS: Readonly<Record<CrmName, number>> = {
	hubspot: HUBSPOT_TEXT_LIMITS.propertyValue,
	salesforce: SALESFORCE_TEXT_LIMITS.contentNote,
	dynamics: DYNAMICS_TEXT_LIMITS.noteText,
	autochat: AUTOCHAT_TEXT_LIMITS.activityBody,
};
