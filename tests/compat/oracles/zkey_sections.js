// Prints the section table of a binfile (.zkey/.ptau/.r1cs), one line per
// section in physical order: "<id> <payloadOffset> <size>".
//   node zkey_sections.js FILE
"use strict";
const fs = require("fs");
const buf = fs.readFileSync(process.argv[2]);
const n = buf.readUInt32LE(8);
let pos = 12;
for (let i = 0; i < n; i++) {
    const id = buf.readUInt32LE(pos);
    const size = Number(buf.readBigUInt64LE(pos + 4));
    console.log(`${id} ${pos + 12} ${size}`);
    pos += 12 + size;
}
