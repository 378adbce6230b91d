// SPDX-License-Identifier: MIT
// nitrosetup's Groth16 verifier for BN254 (EVM precompiles 0x06, 0x07, 0x08).
// Written for nitrosetup; not derived from snarkjs's GPL-3.0 template.
// Unaudited.
pragma solidity 0.8.28;

/// @notice One compiled contract for every verification key: the key is not in
/// this source.  nitrosetup appends it to the compiled runtime code (see
/// docs/onchain.md), so the code deployed for a key is
///
///     runtime = PREFIX || vk || trailer
///
/// PREFIX is this contract compiled (contracts/README.md: solc 0.8.28,
/// evmVersion paris, optimizer on, runs 200, no metadata), vk is 16 + 2n
/// big-endian 32-byte words
///
///     alpha.x alpha.y | beta, gamma, delta as x.im x.re y.im y.re (EIP-197)
///     | IC[0].x IC[0].y ... IC[n].x IC[n].y     (the point at infinity: 0 0)
///
/// and trailer is one word: the 4-byte selector of
/// verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[n]), 24 zero bytes,
/// n as a 4-byte big-endian integer.
///
/// The contract answers exactly the call snarkjs's verifier answers,
///     verifyProof(uint[2] a, uint[2][2] b, uint[2] c, uint[n] pubSignals) returns (bool)
/// with B in EIP-197 order as `snarkjs zkey export soliditycalldata` prints it.
/// It returns true iff every public signal is below r, A.y is below q, the
/// precompiles accept every point and e(-A, B) e(alpha, beta) e(vk_x, gamma)
/// e(C, delta) = 1 with vk_x = IC[0] + sum s_i IC[i].  It reverts (as a
/// Solidity dispatcher does) on another selector, on calldata shorter than
/// the arguments, and on a call with value.
contract NitrosetupGroth16Verifier {
    fallback() external {
        assembly {
            // Memory (all ours: the function never returns to Solidity code):
            //   0x000 -A      0x040 B      0x0c0 alpha   0x100 beta
            //   0x180 vk_x    0x1c0 gamma  0x240 C       0x280 delta
            // is the 768-byte input of the pairing check.  While vk_x is summed
            // in place, 0x1c0..0x220 holds the ecMul input (IC[i], s_i) and
            // then its result, next to the sum for ecAdd.
            codecopy(0, sub(codesize(), 32), 32)
            let trailer := mload(0)
            let n := and(trailer, 0xffffffff)
            if iszero(eq(shr(224, calldataload(0)), shr(224, trailer))) { revert(0, 0) }
            if lt(calldatasize(), add(260, shl(5, n))) { revert(0, 0) }
            let vk := sub(sub(codesize(), 32), shl(5, add(16, shl(1, n))))

            let r := 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001
            let q := 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47

            // vk_x = IC[0] + sum s_i IC[i]
            codecopy(0x180, add(vk, 448), 64)
            let ic := add(vk, 512)
            let end := add(260, shl(5, n))
            for { let p := 260 } lt(p, end) { p := add(p, 32) } {
                let s := calldataload(p)
                if iszero(lt(s, r)) {
                    mstore(0, 0)
                    return(0, 32)
                }
                codecopy(0x1c0, ic, 64)
                mstore(0x200, s)
                if iszero(staticcall(gas(), 0x07, 0x1c0, 96, 0x1c0, 64)) {
                    mstore(0, 0)
                    return(0, 32)
                }
                if iszero(staticcall(gas(), 0x06, 0x180, 128, 0x180, 64)) {
                    mstore(0, 0)
                    return(0, 32)
                }
                ic := add(ic, 64)
            }

            // -A (A.y must be canonical: no second encoding of the same proof)
            let ay := calldataload(36)
            if iszero(lt(ay, q)) {
                mstore(0, 0)
                return(0, 32)
            }
            mstore(0, calldataload(4))
            mstore(32, mod(sub(q, ay), q))
            calldatacopy(0x40, 68, 128)       // B
            codecopy(0xc0, vk, 192)           // alpha, beta
            codecopy(0x1c0, add(vk, 192), 128) // gamma
            calldatacopy(0x240, 196, 64)      // C
            codecopy(0x280, add(vk, 320), 128) // delta
            let ok := staticcall(gas(), 0x08, 0, 768, 0, 32)
            mstore(0, and(ok, mload(0)))
            return(0, 32)
        }
    }
}
