/** `GET /sobjects/<Type>/describe` and the global `GET /sobjects` in Salesforce's shapes. */
import { KEY_PREFIXES } from './ids';
import { allSalesforceObjects, type SalesforceField, type SalesforceObject } from './schema';

const SOAP_TYPES: Record<SalesforceField['type'], string> = {
	id: 'tns:ID',
	reference: 'tns:ID',
	string: 'xsd:string',
	textarea: 'xsd:string',
	combobox: 'xsd:string',
	email: 'xsd:string',
	phone: 'xsd:string',
	url: 'xsd:string',
	picklist: 'xsd:string',
	boolean: 'xsd:boolean',
	int: 'xsd:int',
	double: 'xsd:double',
	currency: 'xsd:double',
	date: 'xsd:date',
	datetime: 'xsd:dateTime',
	base64: 'xsd:base64Binary',
};

function describeField(field: SalesforceField) {
	const writable = !field.calculated;
	return {
		name: field.name,
		label: field.label,
		type: field.type,
		soapType: SOAP_TYPES[field.type],
		length: field.length ?? 0,
		createable: writable,
		updateable: writable && !field.createOnly,
		nillable: !field.required && field.type !== 'boolean' && field.name !== 'Id',
		defaultedOnCreate: field.defaultValue !== undefined || field.calculated === true,
		defaultValue: field.defaultValue ?? null,
		calculated:
			field.calculated === true &&
			!['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'].includes(field.name),
		externalId: field.externalId === true,
		idLookup: field.idLookup === true,
		unique: field.externalId === true,
		custom: field.name.endsWith('__c'),
		filterable: field.type !== 'textarea' && field.type !== 'base64',
		sortable: field.type !== 'textarea' && field.type !== 'base64',
		restrictedPicklist: field.restricted === true,
		picklistValues: (field.picklist ?? []).map((value) => ({
			active: true,
			defaultValue: value === field.defaultValue,
			label: value,
			validFor: null,
			value,
		})),
		referenceTo: field.referenceTo ?? [],
		relationshipName: field.relationshipName ?? null,
	};
}

function urls(version: string, name: string) {
	const base = `/services/data/v${version}/sobjects/${name}`;
	return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function summary(version: string, object: SalesforceObject) {
	return {
		name: object.name,
		label: object.label,
		labelPlural: object.labelPlural,
		keyPrefix: KEY_PREFIXES[object.name] ?? null,
		custom: false,
		createable: true,
		updateable: true,
		deletable: true,
		queryable: true,
		searchable: object.searchable,
		urls: urls(version, object.name),
	};
}

export function describeObject(version: string, object: SalesforceObject) {
	return {
		...summary(version, object),
		fields: object.fields.map(describeField),
		childRelationships: [],
		recordTypeInfos: [],
	};
}

export function describeGlobal(version: string) {
	return {
		encoding: 'UTF-8',
		maxBatchSize: 200,
		sobjects: allSalesforceObjects().map((object) => summary(version, object)),
	};
}
