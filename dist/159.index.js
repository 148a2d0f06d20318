export const id = 159;
export const ids = [159];
export const modules = {

/***/ 159:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkConnectors: () => (/* binding */ checkConnectors)
/* harmony export */ });
/* harmony import */ var _discover_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(576);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9021);
// Stage 4: check each substituted connector before anything is sent: its name, the keys Confluent
// requires, the Kafka credentials (filled from the inputs where the file leaves them out), its target
// cluster, and that no two connectors share a name on one cluster. Messages never show config values.


function isServiceAccount(config) {
    return (config['kafka.auth.mode'] ?? '').trim().toUpperCase() === 'SERVICE_ACCOUNT';
}
class Checker {
    raw;
    problems = [];
    constructor(raw) {
        this.raw = raw;
    }
    at(key) {
        const loc = key === undefined ? undefined : this.raw.locations[key];
        return loc ? { file: this.raw.file, line: loc.line, column: loc.column } : { file: this.raw.file, line: this.raw.line };
    }
    add(message, key) {
        this.problems.push({ ...this.at(key), message });
    }
    /** A key that must be present and not blank. */
    require(config, key, hint, label) {
        const value = config[key];
        if (value === undefined)
            this.add(`${label}missing "${key}"${hint}`);
        else if (value.trim() === '')
            this.add(`${label}"${key}" is empty${hint}`, key);
    }
}
function checkName(check, name) {
    if (name === undefined) {
        check.add('the connector has no "name"');
        return;
    }
    const refusal = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .nameRefusal */ .yn)(name);
    if (refusal)
        check.add(refusal, 'name');
}
function checkId(check, value, what) {
    if (value === '') {
        check.add(`no ${what.input}: set the input or ${what.field} in the file`);
        return false;
    }
    let why;
    if (/\s/.test(value))
        why = 'contains whitespace';
    else if (/[/\\]/.test(value))
        why = 'contains a slash';
    else if (!_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .TARGET_ID */ .WO.test(value))
        why = _model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .TARGET_ID_RULE */ .nM;
    if (why)
        check.add(`the ${what.field} (${what.input}) ${why}; it becomes part of the request URL`);
    return why === undefined;
}
function checkCredentials(check, config, sensitive, defaults, label) {
    if (isServiceAccount(config)) {
        check.require(config, 'kafka.service.account.id', ' (kafka.auth.mode is SERVICE_ACCOUNT)', label);
    }
    else {
        if (config['kafka.api.key'] === undefined && defaults.kafkaApiKey !== '')
            config['kafka.api.key'] = defaults.kafkaApiKey;
        // Filled from the kafka-api-secret input: a secret input, never a literal (one written in the file is
        // secret by its key, and a committed literal for literal-secrets).
        if (config['kafka.api.secret'] === undefined && defaults.kafkaApiSecret !== '') {
            config['kafka.api.secret'] = defaults.kafkaApiSecret;
            sensitive.add('kafka.api.secret');
        }
        const hint = ': set it in the file or the kafka-{input} input, or use kafka.auth.mode SERVICE_ACCOUNT with kafka.service.account.id';
        check.require(config, 'kafka.api.key', hint.replace('{input}', 'api-key'), label);
        check.require(config, 'kafka.api.secret', hint.replace('{input}', 'api-secret'), label);
    }
}
function checkOne(item, defaults) {
    const { raw } = item;
    const check = new Checker(raw);
    const config = { ...item.config };
    const sensitive = new Set(item.secretKeys);
    const name = config.name ?? raw.name;
    checkName(check, name);
    // A secret or variable from the inputs may hold a lone surrogate (JSON "\ud800"): refused here, by key.
    for (const [key, value] of Object.entries(config)) {
        if (key !== 'name' && !value.isWellFormed())
            check.add(`the value of ${JSON.stringify(key)} is not well-formed Unicode (a lone surrogate); it cannot be sent`, key);
    }
    const label = name !== undefined && name.trim() !== '' ? `connector ${JSON.stringify(name)}: ` : '';
    // CUSTOM needs its class too: the real API refuses it without one although the spec says the class is
    // ignored (api-notes.md: "CUSTOM connectors need `connector.class`").
    check.require(config, 'connector.class', (0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isCustom */ .Kj)(config) ? ' (the API refuses a CUSTOM connector without its class)' : '', label);
    if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isCustom */ .Kj)(config))
        check.require(config, 'confluent.custom.plugin.id', ' (confluent.connector.type is CUSTOM)', label);
    checkCredentials(check, config, sensitive, defaults, label);
    const environmentId = item.environmentId ?? defaults.environmentId;
    const kafkaClusterId = item.kafkaClusterId ?? defaults.kafkaClusterId;
    const environmentOk = checkId(check, environmentId, { input: 'environment-id', field: 'environment_id' });
    checkId(check, kafkaClusterId, { input: 'kafka-cluster-id', field: 'kafka_cluster_id' });
    // Another environment than the inputs', but no cluster: the inputs' cluster lives in the inputs'
    // environment, so the pair would not exist and every request would answer 404.
    if (environmentOk &&
        item.environmentId !== undefined &&
        item.kafkaClusterId === undefined &&
        defaults.environmentId !== '' &&
        defaults.kafkaClusterId !== '' &&
        item.environmentId !== defaults.environmentId) {
        check.add(`${label}environment_id names another environment than the environment-id input, but there is no kafka_cluster_id, so the cluster would be the kafka-cluster-id input's (${defaults.kafkaClusterId}), which is in ${defaults.environmentId}; set kafka_cluster_id too`);
    }
    if (check.problems.length > 0 || name === undefined)
        return { problems: check.problems };
    if (config.name === undefined)
        config.name = name;
    const spec = {
        name,
        file: raw.file,
        line: raw.line,
        environmentId,
        kafkaClusterId,
        config,
        locations: raw.locations,
        secretKeys: [...sensitive].filter(k => config[k] !== undefined),
        ...(raw.state ? { state: raw.state } : {})
    };
    return { spec, problems: [] };
}
/**
 * Checks the substituted connectors (stage 4) against the rules above and completes them with the
 * `defaults` (inputs): target ids, Kafka credentials. Returns the specs, ordered by target, file,
 * place in the file, and the problems (each with file and line; never a value). Does not throw.
 */
function checkConnectors(items, defaults) {
    const problems = [];
    const checked = [];
    for (const item of items) {
        const r = checkOne(item, defaults);
        problems.push(...r.problems);
        if (r.spec)
            checked.push({ spec: r.spec, index: item.raw.index, target: (0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .targetKey */ .hD)(r.spec) });
    }
    // The target key is made once per connector, not in every comparison (issue 16: thousands of files).
    checked.sort((a, b) => (0,_discover_js__WEBPACK_IMPORTED_MODULE_0__/* .compareStrings */ .Kt)(a.target, b.target) || (0,_discover_js__WEBPACK_IMPORTED_MODULE_0__/* .compareStrings */ .Kt)(a.spec.file, b.spec.file) || a.index - b.index);
    const firstByName = new Map();
    const specs = [];
    for (const { spec } of checked) {
        const key = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .connectorKey */ .RJ)(spec, spec.name);
        const first = firstByName.get(key);
        if (first) {
            const line = spec.locations.name?.line ?? spec.line;
            problems.push({
                file: spec.file,
                line,
                message: `connector ${JSON.stringify(spec.name)} is defined twice for ${(0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .targetKey */ .hD)(spec)}: first at ${first.file}:${first.locations.name?.line ?? first.line}`
            });
            continue;
        }
        firstByName.set(key, spec);
        specs.push(spec);
    }
    return { specs, problems };
}


/***/ })

};
