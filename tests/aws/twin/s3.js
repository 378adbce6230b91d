'use strict';
// The AWS twin's S3 (tests only): path-style REST S3 as the AWS CLI v2
// (Debian's 2.9.19) speaks it to an --endpoint-url on plain HTTP, with what
// the project relies on and s3rver lacks: requester pays enforced, bucket
// policy / public-access block / lifecycle / tagging / request payment kept
// and returned, multipart uploads listed, and the twin's S3 faults.
//
// createS3({ state, dir, faults, log }) -> { handle, handlePublic, live,
// createBucketAs, putObjectAs, summary }.  faults: take(name) -> the
// arguments once, or null; active(name) -> the arguments (an array) while
// armed, or null.  log(line): a line of text.  handle() returns
// { service, op, bucket, key, status, code } for the caller's call log.  state.s3 is plain JSON (the
// server saves it after every request); object bytes live in files under
// DIR/s3/.  Element names follow the CLI's model,
// awscli/botocore/data/s3/2006-03-01/service-2.json.
//
// What is not modelled: signatures (the server resolves the caller from the
// access key only), IAM policies of the caller's own account (same-account
// requests are all allowed), ACLs, versioning, encryption settings, regions
// (every bucket answers at the one endpoint), object lock, checksums other
// than Content-MD5 and the payload SHA-256.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MIRROR_BUCKET = 'twin-ptau-mirror';
const MIB = 1024 * 1024;
const MAX_PUT = 5 * 1024 * MIB;
const MIN_PART = 5 * MIB;
const STORAGE_CLASSES = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA',
    'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];
const NETWORK_LOSS_SECONDS = 60;

class S3Error extends Error {
    constructor(status, code, message, extra) {
        super(message);
        this.status = status;
        this.code = code;
        this.extra = extra || {};
    }
}

const err = {
    noBucket: (b) => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: b }),
    noKey: (k) => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: k }),
    noUpload: (id) => new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: id }),
    denied: () => new S3Error(403, 'AccessDenied', 'Access Denied'),
    malformed: () => new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'),
    invalidArg: (msg, name, value) => new S3Error(400, 'InvalidArgument', msg,
        name === undefined ? {} : { ArgumentName: name, ArgumentValue: value }),
};

// ---------------------------------------------------------------- XML

function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

// x('Name', child, ...): an element; children are strings of XML, arrays of
// them, or null/undefined (left out).  t('Name', value): a text element, left
// out when value is null or undefined.
function x(name, ...children) {
    return `<${name}>${children.flat(Infinity).filter((c) => c != null).join('')}</${name}>`;
}
function t(name, value) {
    return value == null ? null : `<${name}>${esc(value)}</${name}>`;
}
function doc(root, ...children) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${XMLNS}">` +
        children.flat(Infinity).filter((c) => c != null).join('') + `</${root}>`;
}

function unescapeXml(s) {
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (m, e) => {
        if (e[0] === '#') {
            const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            return String.fromCodePoint(cp);
        }
        return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e];
    });
}

// A small XML reader for request bodies: elements (namespace prefixes
// dropped), text, CDATA; attributes are ignored.  Returns the root
// { name, children, text }; anything malformed throws MalformedXML.
function parseXml(buf) {
    const s = buf.toString('utf8');
    let i = 0;
    const stack = [{ name: '#doc', children: [], text: '' }];
    const top = () => stack[stack.length - 1];
    while (i < s.length) {
        if (s[i] !== '<') {
            const j = s.indexOf('<', i);
            const end = j < 0 ? s.length : j;
            top().text += unescapeXml(s.slice(i, end));
            i = end;
            continue;
        }
        if (s.startsWith('<?', i)) {
            const j = s.indexOf('?>', i);
            if (j < 0) throw err.malformed();
            i = j + 2;
        } else if (s.startsWith('<!--', i)) {
            const j = s.indexOf('-->', i);
            if (j < 0) throw err.malformed();
            i = j + 3;
        } else if (s.startsWith('<![CDATA[', i)) {
            const j = s.indexOf(']]>', i);
            if (j < 0) throw err.malformed();
            top().text += s.slice(i + 9, j);
            i = j + 3;
        } else if (s.startsWith('</', i)) {
            const j = s.indexOf('>', i);
            if (j < 0) throw err.malformed();
            const name = s.slice(i + 2, j).trim().replace(/^.*:/, '');
            const node = stack.pop();
            if (!node || node.name !== name || stack.length === 0) throw err.malformed();
            i = j + 1;
        } else {
            const j = s.indexOf('>', i);
            if (j < 0) throw err.malformed();
            let inner = s.slice(i + 1, j);
            const selfClosing = inner.endsWith('/');
            if (selfClosing) inner = inner.slice(0, -1);
            const m = /^([A-Za-z_][\w.:-]*)/.exec(inner.trim());
            if (!m) throw err.malformed();
            const node = { name: m[1].replace(/^.*:/, ''), children: [], text: '' };
            top().children.push(node);
            if (!selfClosing) stack.push(node);
            i = j + 1;
        }
    }
    const root = stack[0];
    if (stack.length !== 1 || root.children.length !== 1 || root.text.trim() !== '') throw err.malformed();
    return root.children[0];
}

const kids = (node, name) => node.children.filter((c) => c.name === name);
const kid = (node, name) => node.children.find((c) => c.name === name);
const kidText = (node, name) => {
    const c = kid(node, name);
    return c ? c.text.trim() : undefined;
};

// Writes a parsed tree back as XML (what a GET of a stored configuration returns).
function writeXml(node, isRoot) {
    if (isRoot) return doc(node.name, node.children.map((c) => writeXml(c, false)));
    if (node.children.length === 0) return t(node.name, node.text.trim());
    return x(node.name, node.children.map((c) => writeXml(c, false)));
}

// ---------------------------------------------------------------- helpers

const isoTime = (ms) => new Date(ms).toISOString();
const httpTime = (ms) => new Date(ms).toUTCString();
const requestId = () => crypto.randomBytes(8).toString('hex').toUpperCase();
const md5 = (b) => crypto.createHash('md5').update(b).digest();
const canonicalId = (account) => crypto.createHash('sha256').update(`twin-account-${account}`).digest('hex');
const owner = (account) => x('Owner', t('ID', canonicalId(account)), t('DisplayName', `twin-${account}`));

// Keys in list answers when the caller asked for encoding-type=url (the CLI
// always does and decodes with unquote_plus): percent-encoded, '/' kept.
function urlEncodeKey(k) {
    return encodeURIComponent(k).replace(/%2F/g, '/');
}

function compareKeys(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function validBucketName(name) {
    return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\./.test(name) &&
        !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith('xn--') && !name.endsWith('-s3alias');
}

// The body of a SigV4 streaming upload (aws-chunked): "<hex size>;chunk-
// signature=...\r\n<bytes>\r\n" ... "0;...\r\n" then optional trailers.
function decodeAwsChunked(body) {
    const parts = [];
    let i = 0;
    for (;;) {
        const eol = body.indexOf('\r\n', i);
        if (eol < 0) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
        const size = parseInt(body.slice(i, eol).toString('latin1').split(';')[0], 16);
        if (!Number.isFinite(size) || size < 0) throw new S3Error(400, 'IncompleteBody', 'Bad aws-chunked chunk size');
        i = eol + 2;
        if (size === 0) break;
        if (i + size > body.length) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
        parts.push(body.subarray(i, i + size));
        i += size + 2;
    }
    return Buffer.concat(parts);
}

// Region of the SigV4 credential scope (CreateBucket checks it against the
// LocationConstraint as S3 does).
function signingRegion(req) {
    const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(req.headers.authorization || '');
    return m ? m[1] : 'us-east-1';
}

// ---------------------------------------------------------------- policy

function asList(v) {
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
}

function wildcard(pattern, value) {
    const re = new RegExp('^' + pattern.split('*').map((p) =>
        p.split('?').map((q) => q.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*') + '$');
    return re.test(value);
}

function statementIsPublic(st) {
    if (st.Principal === '*') return true;
    return !!st.Principal && typeof st.Principal === 'object' && asList(st.Principal.AWS).includes('*');
}

function principalMatches(st, ident) {
    if (statementIsPublic(st)) return true;
    if (!st.Principal || typeof st.Principal !== 'object') return false;
    return asList(st.Principal.AWS).some((p) =>
        p === ident.account || p === `arn:aws:iam::${ident.account}:root` || (ident.arn && p === ident.arn));
}

// Only the condition the ptau mirror's policy may use (s3:prefix with
// StringEquals / StringLike); a statement with any other condition is
// treated as not applying.
function conditionHolds(st, ctx) {
    if (!st.Condition) return true;
    for (const [op, block] of Object.entries(st.Condition)) {
        for (const [key, want] of Object.entries(block)) {
            if (key !== 's3:prefix' || ctx.prefix === undefined) return false;
            const ok = asList(want).some((w) => (op === 'StringEquals' ? w === ctx.prefix
                : op === 'StringLike' ? wildcard(w, ctx.prefix) : false));
            if (!ok) return false;
        }
    }
    return true;
}

// 'allow', 'deny' or null (no statement applies) for one action.
function evaluatePolicy(bucket, ident, action, resource, ctx) {
    if (!bucket.policy) return null;
    let policy;
    try {
        policy = JSON.parse(bucket.policy);
    } catch (e) {
        return null;
    }
    const restrict = bucket.publicAccessBlock && bucket.publicAccessBlock.RestrictPublicBuckets;
    let verdict = null;
    for (const st of asList(policy.Statement)) {
        if (!st || typeof st !== 'object') continue;
        if (!asList(st.Action).some((a) => wildcard(a, action))) continue;
        if (!asList(st.Resource).some((r) => wildcard(r, resource))) continue;
        if (!principalMatches(st, ident) || !conditionHolds(st, ctx)) continue;
        if (st.Effect === 'Deny') return 'deny';
        if (st.Effect === 'Allow' && !(restrict && statementIsPublic(st))) verdict = 'allow';
    }
    return verdict;
}

// ---------------------------------------------------------------- operations
//
// Each operation: the IAM action other accounts need in the bucket policy
// (null: only the bucket owner), and whether the resource is the object.

const OPS = {
    ListBuckets: {},
    CreateBucket: {},
    DeleteBucket: { action: null },
    HeadBucket: { action: 's3:ListBucket' },
    ListObjects: { action: 's3:ListBucket' },
    ListObjectsV2: { action: 's3:ListBucket' },
    GetBucketLocation: { action: 's3:GetBucketLocation' },
    GetBucketVersioning: { action: null },
    PutBucketRequestPayment: { action: null },
    GetBucketRequestPayment: { action: null },
    PutBucketPolicy: { action: null },
    GetBucketPolicy: { action: null },
    DeleteBucketPolicy: { action: null },
    PutPublicAccessBlock: { action: null },
    GetPublicAccessBlock: { action: null },
    DeletePublicAccessBlock: { action: null },
    PutBucketLifecycleConfiguration: { action: null },
    GetBucketLifecycleConfiguration: { action: null },
    DeleteBucketLifecycle: { action: null },
    PutBucketTagging: { action: null },
    GetBucketTagging: { action: null },
    DeleteBucketTagging: { action: null },
    ListMultipartUploads: { action: 's3:ListBucketMultipartUploads' },
    DeleteObjects: { action: 's3:DeleteObject', object: true },
    PutObject: { action: 's3:PutObject', object: true },
    CopyObject: { action: 's3:PutObject', object: true },
    GetObject: { action: 's3:GetObject', object: true },
    HeadObject: { action: 's3:GetObject', object: true },
    DeleteObject: { action: 's3:DeleteObject', object: true },
    CreateMultipartUpload: { action: 's3:PutObject', object: true },
    UploadPart: { action: 's3:PutObject', object: true },
    UploadPartCopy: { action: 's3:PutObject', object: true },
    CompleteMultipartUpload: { action: 's3:PutObject', object: true },
    AbortMultipartUpload: { action: 's3:AbortMultipartUpload', object: true },
    ListParts: { action: 's3:ListMultipartUploadParts', object: true },
};

const BUCKET_SUBRESOURCES = {
    PUT: { requestPayment: 'PutBucketRequestPayment', policy: 'PutBucketPolicy',
        publicAccessBlock: 'PutPublicAccessBlock', lifecycle: 'PutBucketLifecycleConfiguration',
        tagging: 'PutBucketTagging' },
    GET: { requestPayment: 'GetBucketRequestPayment', policy: 'GetBucketPolicy',
        publicAccessBlock: 'GetPublicAccessBlock', lifecycle: 'GetBucketLifecycleConfiguration',
        tagging: 'GetBucketTagging', location: 'GetBucketLocation', versioning: 'GetBucketVersioning',
        uploads: 'ListMultipartUploads' },
    DELETE: { policy: 'DeleteBucketPolicy', publicAccessBlock: 'DeletePublicAccessBlock',
        lifecycle: 'DeleteBucketLifecycle', tagging: 'DeleteBucketTagging' },
    POST: { delete: 'DeleteObjects' },
};
// Sub-resources S3 has and the twin does not: NotImplemented rather than a
// wrong answer.
const UNMODELLED = ['acl', 'cors', 'encryption', 'website', 'logging', 'notification', 'replication',
    'versions', 'object-lock', 'ownershipControls', 'accelerate', 'analytics', 'inventory',
    'metrics', 'intelligent-tiering', 'retention', 'legal-hold', 'restore', 'select', 'attributes',
    'torrent', 'policyStatus'];

function classify(method, bucket, key, q, headers) {
    for (const u of UNMODELLED) if (q.has(u)) return null;
    if (!bucket) return method === 'GET' ? 'ListBuckets' : null;
    if (key === '') {
        const table = BUCKET_SUBRESOURCES[method] || {};
        for (const [sub, op] of Object.entries(table)) if (q.has(sub)) return op;
        if (method === 'PUT') return q.has('versioning') ? null : 'CreateBucket';
        if (method === 'GET') return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
        if (method === 'DELETE') return 'DeleteBucket';
        if (method === 'HEAD') return 'HeadBucket';
        return null;
    }
    if (q.has('tagging')) return null;
    const copy = headers['x-amz-copy-source'] !== undefined;
    switch (method) {
    case 'PUT':
        if (q.has('uploadId') || q.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
        return copy ? 'CopyObject' : 'PutObject';
    case 'GET': return q.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD': return 'HeadObject';
    case 'DELETE': return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
        if (q.has('uploads')) return 'CreateMultipartUpload';
        if (q.has('uploadId')) return 'CompleteMultipartUpload';
        return null;
    default: return null;
    }
}

// Fault arguments as an array of strings, whatever shape the server keeps.
function faultArgs(v) {
    if (v == null || v === false) return null;
    if (v === true) return [];
    if (Array.isArray(v)) return v.map(String);
    if (typeof v === 'object' && Array.isArray(v.args)) return v.args.map(String);
    return String(v).split(/\s+/).filter(Boolean);
}

// ---------------------------------------------------------------- the service

function createS3({ state, dir, faults, log }) {
    if (!state.s3) state.s3 = { buckets: {} };
    const s3 = state.s3;
    if (!s3.buckets) s3.buckets = {};
    const dataDir = path.join(dir, 's3', 'data');
    const partDir = path.join(dir, 's3', 'parts');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.mkdirSync(partDir, { recursive: true });
    // log(line): one line of text for the twin's log (faults taken).
    const say = typeof log === 'function' ? log : () => {};
    const noFaults = { take: () => null, active: () => null };
    const fx = faults || noFaults;
    // Fault state that lives only as long as the server: throttle counts by
    // operation, the upload-network-loss window.
    const throttles = {};
    let networkLossUntil = 0;

    // Bytes go to a file first, then the state points at it.
    function storeBytes(buf) {
        const name = crypto.randomBytes(12).toString('hex');
        const file = path.join(dataDir, name);
        fs.writeFileSync(file + '.tmp', buf);
        fs.renameSync(file + '.tmp', file);
        return name;
    }
    const dataPath = (name) => path.join(dataDir, name);
    function dropFile(p) {
        try {
            fs.unlinkSync(p);
        } catch (e) {
            if (e.code !== 'ENOENT') throw e;
        }
    }

    function newBucket(account, name, region) {
        const b = {
            owner: account, region, created: Date.now(), requestPayer: 'BucketOwner',
            policy: null, publicAccessBlock: null, lifecycle: null, tagging: null,
            objects: {}, uploads: {},
        };
        s3.buckets[name] = b;
        return b;
    }

    function putObjectRecord(bucket, key, rec) {
        const old = bucket.objects[key];
        bucket.objects[key] = rec;
        if (old && old.file !== rec.file) dropFile(dataPath(old.file));
    }

    // ------------------------------------------------------------ responses

    function baseHeaders(extra) {
        return Object.assign({
            'x-amz-request-id': requestId(),
            'x-amz-id-2': crypto.randomBytes(24).toString('base64'),
            Date: httpTime(Date.now()),
            Server: 'AmazonS3',
        }, extra || {});
    }

    function sendXml(res, status, body, headers) {
        const buf = Buffer.from(body, 'utf8');
        res.writeHead(status, baseHeaders(Object.assign({
            'Content-Type': 'application/xml', 'Content-Length': buf.length }, headers || {})));
        res.end(buf);
    }

    function sendEmpty(res, status, headers) {
        res.writeHead(status, baseHeaders(Object.assign({ 'Content-Length': 0 }, headers || {})));
        res.end();
    }

    function sendError(res, isHead, e, resource) {
        const h = baseHeaders({ 'Content-Type': 'application/xml' });
        if (isHead) {
            res.writeHead(e.status, h);
            res.end();
            return;
        }
        const extra = Object.entries(e.extra).map(([k, v]) => t(k, v));
        const body = '<?xml version="1.0" encoding="UTF-8"?>\n' + x('Error', t('Code', e.code),
            t('Message', e.message), extra, t('Resource', resource), t('RequestId', h['x-amz-request-id']),
            t('HostId', h['x-amz-id-2']));
        h['Content-Length'] = Buffer.byteLength(body);
        res.writeHead(e.status, h);
        res.end(body);
    }

    // ------------------------------------------------------------ access

    function authorize(ctx) {
        const { ident, bucket, bucketName, key, op } = ctx;
        if (!ident || ident.kind === 'anonymous' || !ident.account) {
            if (!bucket || bucket.requestPayer === 'Requester') throw err.denied();
        }
        if (ident && bucket.owner === ident.account && ident.kind !== 'anonymous') {
            // Same account: allowed (IAM is not evaluated), unless the bucket
            // policy denies it explicitly.
            const spec = OPS[op];
            if (spec.action && evaluatePolicy(bucket, ident, spec.action,
                resourceArn(bucketName, spec.object ? key : null), ctx) === 'deny') throw err.denied();
            return;
        }
        if (bucket.requestPayer === 'Requester') {
            if ((ctx.req.headers['x-amz-request-payer'] || '').toLowerCase() !== 'requester') throw err.denied();
            ctx.charged = true;
        }
        const spec = OPS[op];
        if (!spec.action) throw err.denied();
        const who = ident && ident.account ? ident : { account: 'anonymous' };
        const targets = op === 'DeleteObjects' ? ctx.deleteKeys || [] : [spec.object ? key : null];
        for (const k of targets) {
            if (evaluatePolicy(bucket, who, spec.action, resourceArn(bucketName, k), ctx) !== 'allow') {
                throw err.denied();
            }
        }
    }
    const resourceArn = (b, k) => (k == null ? `arn:aws:s3:::${b}` : `arn:aws:s3:::${b}/${k}`);

    // ------------------------------------------------------------ bucket ops

    function createBucket(ctx) {
        const { ident, bucketName: name, body, res, req } = ctx;
        if (!ident || ident.kind === 'anonymous') throw err.denied();
        if (!validBucketName(name)) {
            throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
        }
        let constraint = null;
        if (body.length > 0) {
            const root = parseXml(body);
            if (root.name !== 'CreateBucketConfiguration') throw err.malformed();
            constraint = kidText(root, 'LocationConstraint') || null;
        }
        const region = signingRegion(req);
        if (constraint === 'us-east-1') {
            throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid',
                { LocationConstraint: constraint });
        }
        if ((constraint || 'us-east-1') !== region) {
            throw new S3Error(400, 'IllegalLocationConstraintException', constraint
                ? `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`
                : 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
        }
        const existing = s3.buckets[name];
        if (existing) {
            if (existing.owner !== ident.account) {
                throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: name });
            }
            // S3 keeps answering 200 in us-east-1 for legacy compatibility.
            if (existing.region !== 'us-east-1' || region !== 'us-east-1') {
                throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
            }
        } else {
            newBucket(ident.account, name, region);
        }
        sendEmpty(res, 200, { Location: `/${name}` });
    }

    function deleteBucket(ctx) {
        const b = ctx.bucket;
        if (Object.keys(b.objects).length > 0 || Object.keys(b.uploads).length > 0) {
            throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: ctx.bucketName });
        }
        delete s3.buckets[ctx.bucketName];
        sendEmpty(ctx.res, 204);
    }

    function listBuckets(ctx) {
        const { ident, res } = ctx;
        if (!ident || ident.kind === 'anonymous') throw err.denied();
        const mine = Object.entries(s3.buckets).filter(([, b]) => b.owner === ident.account)
            .sort(([a], [b]) => compareKeys(a, b));
        sendXml(res, 200, doc('ListAllMyBucketsResult', owner(ident.account), x('Buckets',
            mine.map(([n, b]) => x('Bucket', t('Name', n), t('CreationDate', isoTime(b.created)))))));
    }

    // Walks the sorted keys after `after`, rolling keys up into common
    // prefixes at the delimiter; returns up to max entries and whether more
    // remain.  An `after` that is a common prefix skips every key under it.
    function walkKeys(keys, prefix, delimiter, after, max) {
        const entries = [];
        const seen = new Set();
        let truncated = false;
        for (const k of keys) {
            if (!k.startsWith(prefix)) continue;
            if (after !== undefined && (compareKeys(k, after) <= 0 ||
                (delimiter && after.endsWith(delimiter) && after.startsWith(prefix) && k.startsWith(after)))) continue;
            let entry = { key: k };
            if (delimiter) {
                const at = k.indexOf(delimiter, prefix.length);
                if (at >= 0) {
                    const cp = k.slice(0, at + delimiter.length);
                    if (seen.has(cp)) continue;
                    entry = { prefix: cp };
                }
            }
            if (entries.length >= max) {
                truncated = true;
                break;
            }
            if (entry.prefix) seen.add(entry.prefix);
            entries.push(entry);
        }
        return { entries, truncated };
    }

    function maxKeysParam(q, name, dflt) {
        if (!q.has(name)) return dflt;
        const v = q.get(name);
        if (!/^\d+$/.test(v)) throw err.invalidArg(`Provided ${name} not an integer or within integer range`, name, v);
        return Math.min(parseInt(v, 10), dflt);
    }

    function listObjects(ctx, v2) {
        const { q, bucket, bucketName, res } = ctx;
        const prefix = q.get('prefix') || '';
        const delimiter = q.get('delimiter') || '';
        const max = maxKeysParam(q, 'max-keys', 1000);
        const encode = q.get('encoding-type') === 'url';
        if (q.has('encoding-type') && !encode) throw err.invalidArg('Invalid Encoding Method specified in Request', 'encoding-type', q.get('encoding-type'));
        const enc = (s) => (s == null ? s : encode ? urlEncodeKey(s) : s);
        let after;
        if (v2) {
            if (q.has('continuation-token')) {
                try {
                    after = JSON.parse(Buffer.from(q.get('continuation-token'), 'base64').toString('utf8')).after;
                } catch (e) {
                    after = undefined;
                }
                if (typeof after !== 'string') throw err.invalidArg('The continuation token provided is incorrect', 'continuation-token', q.get('continuation-token'));
            } else if (q.has('start-after')) {
                after = q.get('start-after');
            }
        } else if (q.has('marker')) {
            after = q.get('marker');
        }
        const keys = Object.keys(bucket.objects).sort(compareKeys);
        const { entries, truncated } = walkKeys(keys, prefix, delimiter, after, max);
        const contents = entries.filter((e) => e.key).map((e) => {
            const o = bucket.objects[e.key];
            return x('Contents', t('Key', enc(e.key)), t('LastModified', isoTime(o.lastModified)),
                t('ETag', `"${o.etag}"`), t('Size', o.size), v2 ? null : owner(bucket.owner),
                t('StorageClass', o.storageClass));
        });
        const prefixes = entries.filter((e) => e.prefix).map((e) => x('CommonPrefixes', t('Prefix', enc(e.prefix))));
        const last = entries.length ? entries[entries.length - 1] : null;
        const lastName = last ? last.key || last.prefix : null;
        let body;
        if (v2) {
            body = doc('ListBucketResult', t('Name', bucketName), t('Prefix', enc(prefix)),
                delimiter ? t('Delimiter', enc(delimiter)) : null, t('MaxKeys', max),
                encode ? t('EncodingType', 'url') : null, t('KeyCount', entries.length),
                t('IsTruncated', truncated),
                q.has('continuation-token') ? t('ContinuationToken', q.get('continuation-token')) : null,
                truncated ? t('NextContinuationToken', Buffer.from(JSON.stringify({ after: lastName })).toString('base64')) : null,
                q.has('start-after') ? t('StartAfter', enc(q.get('start-after'))) : null,
                contents, prefixes);
        } else {
            body = doc('ListBucketResult', t('Name', bucketName), t('Prefix', enc(prefix)),
                t('Marker', enc(q.get('marker') || '')),
                truncated && delimiter ? t('NextMarker', enc(lastName)) : null,
                t('MaxKeys', max), delimiter ? t('Delimiter', enc(delimiter)) : null,
                encode ? t('EncodingType', 'url') : null, t('IsTruncated', truncated), contents, prefixes);
        }
        sendXml(res, 200, body, ctx.chargedHeader());
    }

    function parseBody(ctx, rootName) {
        if (ctx.body.length === 0) throw err.malformed();
        const root = parseXml(ctx.body);
        if (root.name !== rootName) throw err.malformed();
        return root;
    }

    function putRequestPayment(ctx) {
        const root = parseBody(ctx, 'RequestPaymentConfiguration');
        const payer = kidText(root, 'Payer');
        if (payer !== 'Requester' && payer !== 'BucketOwner') throw err.malformed();
        ctx.bucket.requestPayer = payer;
        sendEmpty(ctx.res, 200);
    }

    function getRequestPayment(ctx) {
        sendXml(ctx.res, 200, doc('RequestPaymentConfiguration', t('Payer', ctx.bucket.requestPayer)));
    }

    function putPolicy(ctx) {
        const text = ctx.body.toString('utf8');
        let policy;
        try {
            if (text.trimStart()[0] !== '{') throw new Error('not an object');
            policy = JSON.parse(text);
        } catch (e) {
            throw new S3Error(400, 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
        }
        if (!policy.Statement) throw new S3Error(400, 'MalformedPolicy', 'Missing required field Statement');
        for (const st of asList(policy.Statement)) {
            if (!st || (st.Effect !== 'Allow' && st.Effect !== 'Deny')) {
                throw new S3Error(400, 'MalformedPolicy', 'Invalid effect');
            }
            if (!st.Action) throw new S3Error(400, 'MalformedPolicy', 'Missing required field Action');
            if (!st.Resource) throw new S3Error(400, 'MalformedPolicy', 'Missing required field Resource');
            if (!st.Principal) throw new S3Error(400, 'MalformedPolicy', 'Missing required field Principal');
            for (const r of asList(st.Resource)) {
                if (!String(r).startsWith(`arn:aws:s3:::${ctx.bucketName}`)) {
                    throw new S3Error(400, 'MalformedPolicy', 'Policy has invalid resource');
                }
            }
        }
        const pab = ctx.bucket.publicAccessBlock;
        if (pab && pab.BlockPublicPolicy && asList(policy.Statement).some((st) => st.Effect === 'Allow' && statementIsPublic(st))) {
            throw err.denied();
        }
        ctx.bucket.policy = text;
        sendEmpty(ctx.res, 204);
    }

    function getPolicy(ctx) {
        if (!ctx.bucket.policy) {
            throw new S3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: ctx.bucketName });
        }
        const buf = Buffer.from(ctx.bucket.policy, 'utf8');
        ctx.res.writeHead(200, baseHeaders({ 'Content-Type': 'application/json', 'Content-Length': buf.length }));
        ctx.res.end(buf);
    }

    const PAB_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

    function putPublicAccessBlock(ctx) {
        const root = parseBody(ctx, 'PublicAccessBlockConfiguration');
        const conf = {};
        for (const f of PAB_FIELDS) {
            const v = kidText(root, f);
            if (v !== undefined && v !== 'true' && v !== 'false') throw err.malformed();
            conf[f] = v === 'true';
        }
        ctx.bucket.publicAccessBlock = conf;
        sendEmpty(ctx.res, 200);
    }

    function getPublicAccessBlock(ctx) {
        const conf = ctx.bucket.publicAccessBlock;
        if (!conf) {
            throw new S3Error(404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', { BucketName: ctx.bucketName });
        }
        sendXml(ctx.res, 200, doc('PublicAccessBlockConfiguration', PAB_FIELDS.map((f) => t(f, conf[f]))));
    }

    function putLifecycle(ctx) {
        const root = parseBody(ctx, 'LifecycleConfiguration');
        const rules = kids(root, 'Rule');
        if (rules.length === 0 || rules.length > 1000) throw err.malformed();
        const ids = new Set();
        for (const r of rules) {
            const status = kidText(r, 'Status');
            if (status !== 'Enabled' && status !== 'Disabled') throw err.malformed();
            const id = kidText(r, 'ID');
            if (id !== undefined) {
                if (id.length > 255) throw err.invalidArg('ID length should not exceed allowed limit of 255');
                if (ids.has(id)) throw err.invalidArg('Rule ID must be unique. Found same ID for more than one rule');
                ids.add(id);
            }
            if (!kid(r, 'Filter') && kidText(r, 'Prefix') === undefined) throw err.malformed();
            const actions = ['Expiration', 'Transition', 'NoncurrentVersionExpiration',
                'NoncurrentVersionTransition', 'AbortIncompleteMultipartUpload'];
            if (!actions.some((a) => kid(r, a))) {
                throw err.invalidArg('At least one action needs to be specified in a rule');
            }
        }
        ctx.bucket.lifecycle = writeXml(root, true);
        sendEmpty(ctx.res, 200);
    }

    function getLifecycle(ctx) {
        if (!ctx.bucket.lifecycle) {
            throw new S3Error(404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', { BucketName: ctx.bucketName });
        }
        sendXml(ctx.res, 200, ctx.bucket.lifecycle);
    }

    function putTagging(ctx) {
        const root = parseBody(ctx, 'Tagging');
        const set = kid(root, 'TagSet');
        if (!set) throw err.malformed();
        const tags = [];
        for (const tag of kids(set, 'Tag')) {
            const k = kidText(tag, 'Key');
            const v = kid(tag, 'Value') ? kid(tag, 'Value').text : '';
            if (k === undefined || k === '' || k.length > 128 || v.length > 256) {
                throw new S3Error(400, 'InvalidTag', 'The TagKey you have provided is invalid');
            }
            if (tags.some((p) => p.Key === k)) {
                throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key');
            }
            tags.push({ Key: k, Value: v });
        }
        if (tags.length > 50) throw new S3Error(400, 'InvalidTag', 'Object tags cannot be greater than 50');
        ctx.bucket.tagging = tags;
        sendEmpty(ctx.res, 204);
    }

    function getTagging(ctx) {
        if (!ctx.bucket.tagging) {
            throw new S3Error(404, 'NoSuchTagSet', 'The TagSet does not exist', { BucketName: ctx.bucketName });
        }
        sendXml(ctx.res, 200, doc('Tagging', x('TagSet',
            ctx.bucket.tagging.map((g) => x('Tag', t('Key', g.Key), t('Value', g.Value))))));
    }

    function clearConfig(field) {
        return (ctx) => {
            ctx.bucket[field] = null;
            sendEmpty(ctx.res, 204);
        };
    }

    function getLocation(ctx) {
        const r = ctx.bucket.region;
        sendXml(ctx.res, 200, '<?xml version="1.0" encoding="UTF-8"?>\n' +
            `<LocationConstraint xmlns="${XMLNS}">${r === 'us-east-1' ? '' : esc(r)}</LocationConstraint>`);
    }

    function getVersioning(ctx) {
        sendXml(ctx.res, 200, doc('VersioningConfiguration'));
    }

    function headBucket(ctx) {
        sendEmpty(ctx.res, 200, Object.assign({ 'x-amz-bucket-region': ctx.bucket.region }, ctx.chargedHeader()));
    }

    // ------------------------------------------------------------ objects

    function checkKey(key) {
        if (Buffer.byteLength(key, 'utf8') > 1024) {
            throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Key: key });
        }
    }

    function checkContentMd5(req, body) {
        const want = req.headers['content-md5'];
        if (want === undefined) return;
        const raw = Buffer.from(want, 'base64');
        if (raw.length !== 16 || raw.toString('base64') !== want.trim()) {
            throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': want });
        }
        if (!raw.equals(md5(body))) {
            throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.',
                { ExpectedDigest: raw.toString('hex'), CalculatedDigest: md5(body).toString('base64') });
        }
    }

    function objectMeta(req) {
        const meta = {};
        for (const [h, v] of Object.entries(req.headers)) {
            if (h.startsWith('x-amz-meta-')) meta[h.slice(11)] = v;
        }
        const storageClass = req.headers['x-amz-storage-class'] || 'STANDARD';
        if (!STORAGE_CLASSES.includes(storageClass)) {
            throw new S3Error(400, 'InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: storageClass });
        }
        const keep = {};
        for (const h of ['content-type', 'content-disposition', 'content-encoding', 'content-language', 'cache-control', 'expires']) {
            if (req.headers[h] !== undefined) keep[h] = req.headers[h];
        }
        if (keep['content-encoding']) {
            keep['content-encoding'] = keep['content-encoding'].split(',').map((s) => s.trim())
                .filter((s) => s && s !== 'aws-chunked').join(',');
            if (!keep['content-encoding']) delete keep['content-encoding'];
        }
        if (!keep['content-type']) keep['content-type'] = 'binary/octet-stream';
        return { meta, storageClass, headers: keep };
    }

    function putObject(ctx) {
        const { req, res, body, bucket, key, ident } = ctx;
        checkKey(key);
        if (body.length > MAX_PUT) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
        checkContentMd5(req, body);
        const m = objectMeta(req);
        const etag = md5(body).toString('hex');
        const dropped = fx.active('heartbeat-loss') && ident && ident.kind === 'role' && key.endsWith('out/status.json');
        if (dropped) {
            say(`s3: fault heartbeat-loss: PutObject ${ctx.bucketName}/${key} answered, not stored`);
        } else {
            putObjectRecord(bucket, key, {
                file: storeBytes(body), size: body.length, etag, lastModified: Date.now(),
                storageClass: m.storageClass, meta: m.meta, headers: m.headers,
            });
        }
        sendEmpty(res, 200, Object.assign({ ETag: `"${etag}"` }, ctx.chargedHeader()));
    }

    function objectHeaders(o) {
        const h = { 'Last-Modified': httpTime(o.lastModified), ETag: `"${o.etag}"`, 'Accept-Ranges': 'bytes' };
        for (const [k, v] of Object.entries(o.headers || {})) h[k.replace(/(^|-)([a-z])/g, (m, a, b) => a + b.toUpperCase())] = v;
        for (const [k, v] of Object.entries(o.meta || {})) h[`x-amz-meta-${k}`] = v;
        if (o.storageClass && o.storageClass !== 'STANDARD') h['x-amz-storage-class'] = o.storageClass;
        return h;
    }

    // Range: bytes=a-b | a- | -n (one range).  Returns null for no range.
    function parseRange(header, size) {
        if (!header) return null;
        const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
        if (!m || (m[1] === '' && m[2] === '')) return null;
        let start;
        let end;
        if (m[1] === '') {
            const n = parseInt(m[2], 10);
            if (n === 0) return { unsatisfiable: true };
            start = Math.max(0, size - n);
            end = size - 1;
        } else {
            start = parseInt(m[1], 10);
            end = m[2] === '' ? size - 1 : Math.min(parseInt(m[2], 10), size - 1);
            if (m[2] !== '' && parseInt(m[2], 10) < start) return null;
        }
        if (start >= size) return { unsatisfiable: true };
        return { start, end };
    }

    function checkConditions(req, o) {
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined) {
            const ok = ifMatch.split(',').map((s) => s.trim().replace(/"/g, '')).some((s) => s === '*' || s === o.etag);
            if (!ok) throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
        }
        const ifNone = req.headers['if-none-match'];
        if (ifNone !== undefined && ifNone.split(',').map((s) => s.trim().replace(/"/g, '')).some((s) => s === '*' || s === o.etag)) {
            return 304;
        }
        const since = req.headers['if-modified-since'];
        if (since !== undefined && ifNone === undefined && Date.parse(since) >= Math.floor(o.lastModified / 1000) * 1000) return 304;
        return 0;
    }

    // Sends the object (or a range of it) from its file, or from `bytes`
    // when given (the bootstrap-hash fault serves altered bytes).
    function sendObject(res, req, o, isHead, extraHeaders, bytes) {
        const h = Object.assign(objectHeaders(o), extraHeaders || {});
        const range = parseRange(req.headers.range, o.size);
        if (range && range.unsatisfiable) {
            throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable',
                { RangeRequested: req.headers.range, ActualObjectSize: o.size });
        }
        let status = 200;
        let start = 0;
        let end = o.size - 1;
        if (range) {
            status = 206;
            ({ start, end } = range);
            h['Content-Range'] = `bytes ${start}-${end}/${o.size}`;
        }
        h['Content-Length'] = o.size === 0 ? 0 : end - start + 1;
        res.writeHead(status, baseHeaders(h));
        if (isHead || o.size === 0) {
            res.end();
        } else if (bytes) {
            res.end(bytes.subarray(start, end + 1));
        } else {
            const stream = fs.createReadStream(dataPath(o.file), { start, end });
            stream.on('error', () => res.destroy());
            stream.pipe(res);
        }
    }

    function getObject(ctx, isHead) {
        const { req, res, bucket, key } = ctx;
        const o = bucket.objects[key];
        if (!o) throw missingKey(ctx);
        if (!isHead && (o.storageClass === 'GLACIER' || o.storageClass === 'DEEP_ARCHIVE')) {
            throw new S3Error(403, 'InvalidObjectState', 'The operation is not valid for the object\'s storage class', { StorageClass: o.storageClass });
        }
        if (checkConditions(req, o) === 304) {
            res.writeHead(304, baseHeaders({ ETag: `"${o.etag}"`, 'Last-Modified': httpTime(o.lastModified) }));
            res.end();
            return;
        }
        let bytes = null;
        if (!isHead && key.endsWith('in/bootstrap.sh') && fx.take('bootstrap-hash') !== null) {
            bytes = fs.readFileSync(dataPath(o.file));
            if (bytes.length > 0) bytes[bytes.length >> 1] ^= 0x20;
            say(`s3: fault bootstrap-hash: GetObject ${ctx.bucketName}/${key} served with one byte changed`);
        }
        sendObject(res, req, o, isHead, ctx.chargedHeader(), bytes);
    }

    // A missing key is 404 only to a caller who may list the bucket; S3
    // answers 403 to the others, so as not to tell what exists.
    function missingKey(ctx) {
        const { ident, bucket, bucketName, key } = ctx;
        if (ident && ident.kind !== 'anonymous' && ident.account === bucket.owner) return err.noKey(key);
        const who = ident && ident.account ? ident : { account: 'anonymous' };
        const verdict = evaluatePolicy(bucket, who, 's3:ListBucket', resourceArn(bucketName, null), {});
        return verdict === 'allow' ? err.noKey(key) : err.denied();
    }

    function deleteObject(ctx) {
        const o = ctx.bucket.objects[ctx.key];
        if (o) {
            delete ctx.bucket.objects[ctx.key];
            dropFile(dataPath(o.file));
        }
        sendEmpty(ctx.res, 204, ctx.chargedHeader());
    }

    function parseDeleteKeys(ctx) {
        const root = parseBody(ctx, 'Delete');
        const objs = kids(root, 'Object');
        if (objs.length === 0 || objs.length > 1000) throw err.malformed();
        ctx.deleteQuiet = kidText(root, 'Quiet') === 'true';
        ctx.deleteKeys = objs.map((o) => {
            const k = kid(o, 'Key');
            if (!k) throw err.malformed();
            return k.text;
        });
    }

    function deleteObjects(ctx) {
        if (ctx.req.headers['content-md5'] === undefined) {
            throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5');
        }
        checkContentMd5(ctx.req, ctx.body);
        const done = [];
        for (const k of ctx.deleteKeys) {
            const o = ctx.bucket.objects[k];
            if (o) {
                delete ctx.bucket.objects[k];
                dropFile(dataPath(o.file));
            }
            done.push(k);
        }
        sendXml(ctx.res, 200, doc('DeleteResult',
            ctx.deleteQuiet ? [] : done.map((k) => x('Deleted', t('Key', k)))), ctx.chargedHeader());
    }

    // x-amz-copy-source: /bucket/key (URL-encoded), the leading '/' optional.
    function copySource(ctx) {
        const raw = ctx.req.headers['x-amz-copy-source'];
        let src = raw.split('?')[0];
        try {
            src = decodeURIComponent(src);
        } catch (e) {
            throw err.invalidArg('Invalid copy source encoding', 'x-amz-copy-source', raw);
        }
        if (src.startsWith('/')) src = src.slice(1);
        const slash = src.indexOf('/');
        if (slash <= 0 || slash === src.length - 1) {
            throw err.invalidArg('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', raw);
        }
        const bucketName = src.slice(0, slash);
        const key = src.slice(slash + 1);
        const bucket = s3.buckets[bucketName];
        if (!bucket) throw err.noBucket(bucketName);
        authorize({ ident: ctx.ident, bucket, bucketName, key, op: 'GetObject', req: ctx.req });
        const o = bucket.objects[key];
        if (!o) throw err.noKey(key);
        return o;
    }

    function copyObject(ctx) {
        const { req, res, bucket, key } = ctx;
        checkKey(key);
        const src = copySource(ctx);
        const directive = (req.headers['x-amz-metadata-directive'] || 'COPY').toUpperCase();
        if (directive !== 'COPY' && directive !== 'REPLACE') {
            throw err.invalidArg('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
        }
        const m = directive === 'REPLACE' ? objectMeta(req)
            : { meta: src.meta, headers: src.headers, storageClass: req.headers['x-amz-storage-class'] || src.storageClass };
        if (!STORAGE_CLASSES.includes(m.storageClass)) {
            throw new S3Error(400, 'InvalidStorageClass', 'The storage class you specified is not valid');
        }
        if (src.size > MAX_PUT) throw err.invalidArg('The specified copy source is larger than the maximum allowable size for a copy source: 5368709120', 'copy-source-size');
        const bytes = fs.readFileSync(dataPath(src.file));
        const now = Date.now();
        putObjectRecord(bucket, key, {
            file: storeBytes(bytes), size: src.size, etag: src.etag, lastModified: now,
            storageClass: m.storageClass, meta: m.meta, headers: m.headers, parts: src.parts,
        });
        sendXml(res, 200, doc('CopyObjectResult', t('LastModified', isoTime(now)), t('ETag', `"${src.etag}"`)),
            ctx.chargedHeader());
    }

    // ------------------------------------------------------------ multipart

    function findUpload(ctx) {
        const id = ctx.q.get('uploadId');
        const u = ctx.bucket.uploads[id];
        if (!u || u.key !== ctx.key) throw err.noUpload(id);
        return u;
    }
    const partPath = (id, n) => path.join(partDir, `${id}.${n}`);

    function createMultipartUpload(ctx) {
        const { req, res, bucket, bucketName, key, ident } = ctx;
        checkKey(key);
        const m = objectMeta(req);
        const id = crypto.randomBytes(24).toString('base64url');
        bucket.uploads[id] = {
            key, initiated: Date.now(), storageClass: m.storageClass, meta: m.meta, headers: m.headers,
            initiator: { account: ident.account, arn: ident.arn || `arn:aws:iam::${ident.account}:root` },
            parts: {},
        };
        sendXml(res, 200, doc('InitiateMultipartUploadResult', t('Bucket', bucketName), t('Key', key), t('UploadId', id)),
            ctx.chargedHeader());
    }

    function partNumberParam(q) {
        const v = q.get('partNumber');
        if (!/^\d+$/.test(v || '') || +v < 1 || +v > 10000) {
            throw err.invalidArg('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', v);
        }
        return +v;
    }

    function uploadPart(ctx, copy) {
        const { req, res, q, body } = ctx;
        const u = findUpload(ctx);
        const n = partNumberParam(q);
        let bytes = body;
        if (copy) {
            const src = copySource(ctx);
            const all = fs.readFileSync(dataPath(src.file));
            const r = req.headers['x-amz-copy-source-range'];
            if (r) {
                const m = /^bytes=(\d+)-(\d+)$/.exec(r);
                if (!m || +m[1] > +m[2] || +m[2] >= src.size) {
                    throw err.invalidArg('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', r);
                }
                bytes = all.subarray(+m[1], +m[2] + 1);
            } else {
                bytes = all;
            }
        } else {
            checkContentMd5(req, body);
        }
        if (bytes.length > MAX_PUT) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
        const etag = md5(bytes).toString('hex');
        const id = q.get('uploadId');
        fs.writeFileSync(partPath(id, n) + '.tmp', bytes);
        fs.renameSync(partPath(id, n) + '.tmp', partPath(id, n));
        const now = Date.now();
        u.parts[n] = { etag, size: bytes.length, lastModified: now };
        if (copy) {
            sendXml(res, 200, doc('CopyPartResult', t('LastModified', isoTime(now)), t('ETag', `"${etag}"`)),
                ctx.chargedHeader());
        } else {
            sendEmpty(res, 200, Object.assign({ ETag: `"${etag}"` }, ctx.chargedHeader()));
        }
    }

    function dropUpload(bucket, id) {
        const u = bucket.uploads[id];
        for (const n of Object.keys(u.parts)) dropFile(partPath(id, n));
        delete bucket.uploads[id];
    }

    function completeMultipartUpload(ctx) {
        const { res, bucket, bucketName, key, q } = ctx;
        const u = findUpload(ctx);
        const id = q.get('uploadId');
        const root = parseBody(ctx, 'CompleteMultipartUpload');
        const list = kids(root, 'Part').map((p) => ({
            n: Number(kidText(p, 'PartNumber')), etag: (kidText(p, 'ETag') || '').replace(/"/g, ''),
        }));
        if (list.length === 0) throw err.malformed();
        let prev = 0;
        for (const p of list) {
            if (!Number.isInteger(p.n) || p.n <= prev) {
                throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', { UploadId: id });
            }
            prev = p.n;
        }
        for (const [i, p] of list.entries()) {
            const have = u.parts[p.n];
            if (!have || have.etag !== p.etag) {
                throw new S3Error(400, 'InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.',
                    { UploadId: id, PartNumber: p.n, ETag: p.etag });
            }
            if (i < list.length - 1 && have.size < MIN_PART) {
                throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size',
                    { UploadId: id, PartNumber: p.n, ProposedSize: have.size, MinSizeAllowed: MIN_PART });
            }
        }
        const name = crypto.randomBytes(12).toString('hex');
        const tmp = dataPath(name) + '.tmp';
        const fd = fs.openSync(tmp, 'w');
        let size = 0;
        try {
            for (const p of list) {
                const bytes = fs.readFileSync(partPath(id, p.n));
                fs.writeSync(fd, bytes);
                size += bytes.length;
            }
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, dataPath(name));
        const etag = md5(Buffer.concat(list.map((p) => Buffer.from(p.etag, 'hex')))).toString('hex') + `-${list.length}`;
        putObjectRecord(bucket, key, {
            file: name, size, etag, lastModified: Date.now(), storageClass: u.storageClass,
            meta: u.meta, headers: u.headers, parts: list.length,
        });
        dropUpload(bucket, id);
        sendXml(res, 200, doc('CompleteMultipartUploadResult',
            t('Location', `http://${ctx.req.headers.host || '127.0.0.1'}/${bucketName}/${urlEncodeKey(key)}`),
            t('Bucket', bucketName), t('Key', key), t('ETag', `"${etag}"`)), ctx.chargedHeader());
    }

    function abortMultipartUpload(ctx) {
        findUpload(ctx);
        dropUpload(ctx.bucket, ctx.q.get('uploadId'));
        sendEmpty(ctx.res, 204, ctx.chargedHeader());
    }

    function initiatorXml(name, who) {
        return x(name, t('ID', who.arn), t('DisplayName', who.arn.split(':').pop()));
    }

    function listMultipartUploads(ctx) {
        const { q, bucket, bucketName, res } = ctx;
        const prefix = q.get('prefix') || '';
        const delimiter = q.get('delimiter') || '';
        const max = maxKeysParam(q, 'max-uploads', 1000);
        const keyMarker = q.get('key-marker') || '';
        const idMarker = q.get('upload-id-marker') || '';
        const encode = q.get('encoding-type') === 'url';
        const enc = (s) => (s == null ? s : encode ? urlEncodeKey(s) : s);
        const all = Object.entries(bucket.uploads)
            .filter(([id, u]) => u.key.startsWith(prefix) && (keyMarker === '' ||
                compareKeys(u.key, keyMarker) > 0 || (u.key === keyMarker && idMarker !== '' && id > idMarker)))
            .sort(([ia, a], [ib, b]) => compareKeys(a.key, b.key) || a.initiated - b.initiated || (ia < ib ? -1 : 1));
        const entries = [];
        const seen = new Set();
        let truncated = false;
        for (const [id, u] of all) {
            let entry = { id, u };
            if (delimiter) {
                const at = u.key.indexOf(delimiter, prefix.length);
                if (at >= 0) {
                    const cp = u.key.slice(0, at + delimiter.length);
                    if (seen.has(cp)) continue;
                    entry = { prefix: cp };
                }
            }
            if (entries.length >= max) {
                truncated = true;
                break;
            }
            if (entry.prefix) seen.add(entry.prefix);
            entries.push(entry);
        }
        const last = entries.filter((e) => e.u).pop();
        sendXml(res, 200, doc('ListMultipartUploadsResult', t('Bucket', bucketName),
            t('KeyMarker', enc(keyMarker)), t('UploadIdMarker', idMarker),
            truncated && last ? t('NextKeyMarker', enc(last.u.key)) : null,
            truncated && last ? t('NextUploadIdMarker', last.id) : null,
            t('Prefix', enc(prefix)), delimiter ? t('Delimiter', enc(delimiter)) : null,
            encode ? t('EncodingType', 'url') : null,
            t('MaxUploads', max), t('IsTruncated', truncated),
            entries.filter((e) => e.u).map(({ id, u }) => x('Upload', t('Key', enc(u.key)), t('UploadId', id),
                initiatorXml('Initiator', u.initiator), owner(bucket.owner),
                t('StorageClass', u.storageClass), t('Initiated', isoTime(u.initiated)))),
            entries.filter((e) => e.prefix).map((e) => x('CommonPrefixes', t('Prefix', enc(e.prefix))))),
        ctx.chargedHeader());
    }

    function listParts(ctx) {
        const { q, bucket, bucketName, key, res } = ctx;
        const u = findUpload(ctx);
        const max = maxKeysParam(q, 'max-parts', 1000);
        const marker = q.has('part-number-marker') ? parseInt(q.get('part-number-marker'), 10) || 0 : 0;
        const nums = Object.keys(u.parts).map(Number).filter((n) => n > marker).sort((a, b) => a - b);
        const shown = nums.slice(0, max);
        const truncated = nums.length > max;
        sendXml(res, 200, doc('ListPartsResult', t('Bucket', bucketName), t('Key', key), t('UploadId', q.get('uploadId')),
            t('PartNumberMarker', marker), t('NextPartNumberMarker', shown.length ? shown[shown.length - 1] : 0),
            t('MaxParts', max), t('IsTruncated', truncated),
            shown.map((n) => x('Part', t('PartNumber', n), t('LastModified', isoTime(u.parts[n].lastModified)),
                t('ETag', `"${u.parts[n].etag}"`), t('Size', u.parts[n].size))),
            initiatorXml('Initiator', u.initiator), owner(bucket.owner), t('StorageClass', u.storageClass)),
        ctx.chargedHeader());
    }

    const HANDLERS = {
        CreateBucket: createBucket,
        DeleteBucket: deleteBucket,
        HeadBucket: headBucket,
        ListBuckets: listBuckets,
        ListObjects: (c) => listObjects(c, false),
        ListObjectsV2: (c) => listObjects(c, true),
        GetBucketLocation: getLocation,
        GetBucketVersioning: getVersioning,
        PutBucketRequestPayment: putRequestPayment,
        GetBucketRequestPayment: getRequestPayment,
        PutBucketPolicy: putPolicy,
        GetBucketPolicy: getPolicy,
        DeleteBucketPolicy: clearConfig('policy'),
        PutPublicAccessBlock: putPublicAccessBlock,
        GetPublicAccessBlock: getPublicAccessBlock,
        DeletePublicAccessBlock: clearConfig('publicAccessBlock'),
        PutBucketLifecycleConfiguration: putLifecycle,
        GetBucketLifecycleConfiguration: getLifecycle,
        DeleteBucketLifecycle: clearConfig('lifecycle'),
        PutBucketTagging: putTagging,
        GetBucketTagging: getTagging,
        DeleteBucketTagging: clearConfig('tagging'),
        ListMultipartUploads: listMultipartUploads,
        DeleteObjects: deleteObjects,
        PutObject: putObject,
        CopyObject: copyObject,
        GetObject: (c) => getObject(c, false),
        HeadObject: (c) => getObject(c, true),
        DeleteObject: deleteObject,
        CreateMultipartUpload: createMultipartUpload,
        UploadPart: (c) => uploadPart(c, false),
        UploadPartCopy: (c) => uploadPart(c, true),
        CompleteMultipartUpload: completeMultipartUpload,
        AbortMultipartUpload: abortMultipartUpload,
        ListParts: listParts,
    };

    // ------------------------------------------------------------ faults

    // throttle OP [N]: the fault names its operation, so it is looked at
    // (active) and taken only when this request is that operation; the count
    // is kept here.
    function throttled(op) {
        const args = faultArgs(fx.active('throttle'));
        if (args && args[0] === op) {
            fx.take('throttle');
            const n = args.length > 1 ? parseInt(args[1], 10) : 3;
            throttles[op] = (throttles[op] || 0) + (Number.isFinite(n) && n > 0 ? n : 3);
        }
        if (throttles[op] > 0) {
            throttles[op] -= 1;
            return true;
        }
        return false;
    }

    // upload-network-loss [SECONDS]: from the first matching request, every
    // PUT / UploadPart under out/bundle/ loses its connection for SECONDS
    // (default 60) of wall time.
    function networkLost(op, key) {
        if (op !== 'PutObject' && op !== 'UploadPart') return false;
        if (!key.includes('/out/bundle/') && !key.startsWith('out/bundle/')) return false;
        const args = faultArgs(fx.active('upload-network-loss'));
        if (args) {
            fx.take('upload-network-loss');
            const s = args.length ? parseFloat(args[0]) : NETWORK_LOSS_SECONDS;
            networkLossUntil = Date.now() + 1000 * (Number.isFinite(s) && s > 0 ? s : NETWORK_LOSS_SECONDS);
        }
        return Date.now() < networkLossUntil;
    }

    // ------------------------------------------------------------ dispatch

    function handle(req, res, body, ident) {
        const url = new URL(req.url, 'http://twin');
        const raw = url.pathname.slice(1);
        const slash = raw.indexOf('/');
        let bucketName;
        let key;
        try {
            bucketName = decodeURIComponent(slash < 0 ? raw : raw.slice(0, slash));
            key = slash < 0 ? '' : decodeURIComponent(raw.slice(slash + 1));
        } catch (e) {
            bucketName = '';
            key = '';
        }
        const q = url.searchParams;
        const isHead = req.method === 'HEAD';
        const op = classify(req.method, bucketName, key, q, req.headers);
        const result = { service: 's3', op: op || `${req.method}?`, bucket: bucketName || undefined, key: key || undefined };
        const resource = key ? `/${bucketName}/${key}` : bucketName ? `/${bucketName}` : '/';
        const ctx = {
            req, res, q, ident, op, bucketName, key, body: body || Buffer.alloc(0),
            bucket: s3.buckets[bucketName], charged: false,
            prefix: q.has('prefix') ? q.get('prefix') : undefined,
            chargedHeader() {
                return this.charged ? { 'x-amz-request-charged': 'requester' } : {};
            },
        };
        try {
            if (!op) throw new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented (in the twin)');
            if (throttled(op)) {
                throw new S3Error(503, 'SlowDown', 'Please reduce your request rate.');
            }
            if (bucketName === MIRROR_BUCKET && fx.active('ptau-mirror-403')) {
                say(`s3: fault ptau-mirror-403: ${op} ${bucketName}/${key} denied`);
                throw err.denied();
            }
            if (networkLost(op, key)) {
                say(`s3: fault upload-network-loss: ${op} ${bucketName}/${key} connection destroyed`);
                req.socket.destroy();
                return Object.assign(result, { status: 0, code: 'ConnectionReset' });
            }
            const enc = (req.headers['content-encoding'] || '').split(',').map((s) => s.trim());
            const sha = req.headers['x-amz-content-sha256'] || '';
            if (enc.includes('aws-chunked') || sha.startsWith('STREAMING-')) {
                ctx.body = decodeAwsChunked(ctx.body);
                const want = req.headers['x-amz-decoded-content-length'];
                if (want !== undefined && Number(want) !== ctx.body.length) {
                    throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
                }
            } else if (/^[0-9a-f]{64}$/.test(sha) &&
                crypto.createHash('sha256').update(ctx.body).digest('hex') !== sha) {
                throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.",
                    { ClientComputedContentSHA256: sha });
            }
            if (op !== 'ListBuckets' && op !== 'CreateBucket') {
                if (!ctx.bucket) throw err.noBucket(bucketName);
                if (op === 'DeleteObjects') parseDeleteKeys(ctx);
                authorize(ctx);
            }
            HANDLERS[op](ctx);
            result.status = res.statusCode;
        } catch (e) {
            if (!(e instanceof S3Error)) throw e;
            sendError(res, isHead, e, resource);
            result.status = e.status;
            result.code = e.code;
        }
        return result;
    }

    // The public plain-HTTP stand-in for Hermez's ptau host: GET/HEAD
    // /zkevm/ptau/<name> serves ptau/<name> of the mirror bucket.
    function handlePublic(req, res) {
        const url = new URL(req.url, 'http://twin');
        const m = /^\/zkevm\/ptau\/([^/]+)$/.exec(url.pathname);
        if (!m) return false;
        const isHead = req.method === 'HEAD';
        if (req.method !== 'GET' && !isHead) {
            res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 });
            res.end();
            return true;
        }
        let name;
        try {
            name = decodeURIComponent(m[1]);
        } catch (e) {
            name = '';
        }
        const bucket = s3.buckets[MIRROR_BUCKET];
        const o = bucket && bucket.objects[`ptau/${name}`];
        try {
            if (!o) throw err.noKey(`zkevm/ptau/${name}`);
            sendObject(res, req, { ...o, meta: {}, storageClass: 'STANDARD' }, isHead, {});
        } catch (e) {
            if (!(e instanceof S3Error)) throw e;
            sendError(res, isHead, e, url.pathname);
        }
        return true;
    }

    function live() {
        const out = [];
        for (const [name, b] of Object.entries(s3.buckets)) {
            for (const [id, u] of Object.entries(b.uploads)) {
                out.push({ type: 's3-multipart-upload', id, bucket: name, key: u.key });
            }
        }
        return out;
    }

    // For `twin up`: a bucket owned by another account.  The ptau mirror
    // (MIRROR_BUCKET) gets what `nitrosetup aws mirror-ptau` sets up
    // (research note §4): requester pays, GetObject on ptau/* and ListBucket
    // with prefix ptau/ for any AWS principal.  opts: { region, requesterPays,
    // policy (object or JSON text), publicAccessBlock }.  Idempotent.
    function createBucketAs(ownerIdent, name, opts) {
        const o = opts || {};
        const account = ownerIdent.account || ownerIdent;
        if (!validBucketName(name)) throw new Error(`s3: invalid bucket name ${name}`);
        let b = s3.buckets[name];
        if (b && b.owner !== account) throw new Error(`s3: bucket ${name} belongs to account ${b.owner}`);
        if (!b) b = newBucket(account, name, o.region || 'us-east-1');
        const mirror = name === MIRROR_BUCKET;
        if (o.requesterPays || (mirror && o.requesterPays === undefined)) b.requestPayer = 'Requester';
        let policy = o.policy;
        if (policy === undefined && mirror) {
            policy = {
                Version: '2012-10-17',
                Statement: [
                    { Sid: 'ReadPtau', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject',
                        Resource: `arn:aws:s3:::${name}/ptau/*` },
                    { Sid: 'ListPtau', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket',
                        Resource: `arn:aws:s3:::${name}`, Condition: { StringLike: { 's3:prefix': 'ptau/*' } } },
                ],
            };
        }
        if (policy !== undefined && policy !== null) b.policy = typeof policy === 'string' ? policy : JSON.stringify(policy);
        if (o.publicAccessBlock) b.publicAccessBlock = Object.assign({}, o.publicAccessBlock);
        else if (mirror && !b.publicAccessBlock) {
            b.publicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false };
        }
        return { name, owner: account, requestPayer: b.requestPayer };
    }

    // For `twin up` / tests: puts bytes (a Buffer or a file path) as the
    // bucket's owner, without HTTP (e.g. the ptau files into the mirror).
    function putObjectAs(ownerIdent, bucketName, key, data, opts) {
        const account = ownerIdent.account || ownerIdent;
        const b = s3.buckets[bucketName];
        if (!b) throw new Error(`s3: no bucket ${bucketName}`);
        if (b.owner !== account) throw new Error(`s3: bucket ${bucketName} belongs to account ${b.owner}`);
        const bytes = Buffer.isBuffer(data) ? data : fs.readFileSync(data);
        const etag = md5(bytes).toString('hex');
        putObjectRecord(b, key, {
            file: storeBytes(bytes), size: bytes.length, etag, lastModified: Date.now(),
            storageClass: (opts && opts.storageClass) || 'STANDARD', meta: (opts && opts.meta) || {},
            headers: { 'content-type': 'binary/octet-stream' },
        });
        return { etag: `"${etag}"`, size: bytes.length };
    }

    // For `twin state`: buckets with their settings and object counts.
    function summary() {
        return {
            buckets: Object.entries(s3.buckets).map(([name, b]) => ({
                name, owner: b.owner, region: b.region, request_payer: b.requestPayer,
                objects: Object.keys(b.objects).length,
                bytes: Object.values(b.objects).reduce((s, o) => s + o.size, 0),
                uploads: Object.keys(b.uploads).length,
                policy: !!b.policy, public_access_block: b.publicAccessBlock, lifecycle: !!b.lifecycle,
                tags: b.tagging,
            })),
        };
    }

    return { handle, handlePublic, live, createBucketAs, putObjectAs, summary };
}

module.exports = { createS3, MIRROR_BUCKET };
