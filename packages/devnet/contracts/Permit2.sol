// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";

// The signature-transfer half of Permit2, written for open402's devnet, which places it at the canonical
// Permit2 address 0x000000000022D473030F116dDEE9F6B43aC78BA3 (hardhat_setCode). It implements what x402's
// Permit2 payments need, with the canonical contract's ABI and EIP-712 encoding:
//
// - EIP-712 domain {name: "Permit2", chainId, verifyingContract}, no version. The separator is computed
//   on each call from block.chainid and address(this), so the runtime code works at any address.
// - permitTransferFrom / permitWitnessTransferFrom: the owner signs PermitTransferFrom (or
//   PermitWitnessTransferFrom with the caller's witness type appended) with the caller as `spender`; the
//   signature is refused after `deadline`, the requested amount must not exceed the permitted one, and
//   each nonce works once (an unordered bitmap: word nonce >> 8, bit nonce & 0xff).
// - Owners without code sign with ECDSA: 65 bytes r || s || v, or 64 bytes r || vs (EIP-2098). Owners
//   with code are asked through EIP-1271 isValidSignature(digest, signature).
// - The tokens move with the token's own transferFrom(owner, to, amount): the owner approves this contract
//   on the token once. Tokens that return nothing from transferFrom are accepted; a false return or a
//   revert fails the whole call.
//
// Not implemented: the allowance-based half (AllowanceTransfer: approve/permit/transferFrom with expiring
// allowances), the batch forms, and lockdown. x402 uses none of them.
contract Permit2 is ISignatureTransfer {
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    bytes32 private constant HASHED_NAME = keccak256("Permit2");

    bytes32 public constant TOKEN_PERMISSIONS_TYPEHASH = keccak256("TokenPermissions(address token,uint256 amount)");
    bytes32 public constant PERMIT_TRANSFER_FROM_TYPEHASH = keccak256(
        "PermitTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline)TokenPermissions(address token,uint256 amount)"
    );
    /// The head of a witness type: the caller appends its witness field and the referenced types, e.g.
    /// "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)".
    string public constant PERMIT_WITNESS_TRANSFER_FROM_TYPE_STUB =
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,";

    // The EIP-1271 magic value, which is also the selector of isValidSignature(bytes32,bytes).
    bytes4 private constant ERC1271_MAGIC_VALUE = 0x1626ba7e;

    /// owner => word position => bits of the nonces used (or invalidated) in that word.
    mapping(address => mapping(uint256 => uint256)) public nonceBitmap;

    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(abi.encode(EIP712_DOMAIN_TYPEHASH, HASHED_NAME, block.chainid, address(this)));
    }

    function invalidateUnorderedNonces(uint256 wordPos, uint256 mask) external {
        nonceBitmap[msg.sender][wordPos] |= mask;
        emit UnorderedNonceInvalidation(msg.sender, wordPos, mask);
    }

    function permitTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(
                PERMIT_TRANSFER_FROM_TYPEHASH,
                _hashTokenPermissions(permit.permitted),
                msg.sender,
                permit.nonce,
                permit.deadline
            )
        );
        _transfer(permit, transferDetails, owner, structHash, signature);
    }

    function permitWitnessTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external {
        bytes32 typeHash = keccak256(abi.encodePacked(PERMIT_WITNESS_TRANSFER_FROM_TYPE_STUB, witnessTypeString));
        bytes32 structHash = keccak256(
            abi.encode(
                typeHash, _hashTokenPermissions(permit.permitted), msg.sender, permit.nonce, permit.deadline, witness
            )
        );
        _transfer(permit, transferDetails, owner, structHash, signature);
    }

    function _transfer(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 structHash,
        bytes calldata signature
    ) private {
        if (block.timestamp > permit.deadline) revert SignatureExpired(permit.deadline);
        if (transferDetails.requestedAmount > permit.permitted.amount) {
            revert InvalidAmount(permit.permitted.amount);
        }
        _useNonce(owner, permit.nonce);
        _checkSignature(owner, keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR(), structHash)), signature);
        _tokenTransferFrom(permit.permitted.token, owner, transferDetails.to, transferDetails.requestedAmount);
    }

    function _hashTokenPermissions(TokenPermissions calldata permitted) private pure returns (bytes32) {
        return keccak256(abi.encode(TOKEN_PERMISSIONS_TYPEHASH, permitted.token, permitted.amount));
    }

    function _useNonce(address owner, uint256 nonce) private {
        uint256 wordPos = nonce >> 8;
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = nonceBitmap[owner][wordPos];
        if (word & bit != 0) revert InvalidNonce();
        nonceBitmap[owner][wordPos] = word | bit;
    }

    function _checkSignature(address owner, bytes32 digest, bytes calldata signature) private view {
        if (owner.code.length > 0) {
            (bool success, bytes memory result) =
                owner.staticcall(abi.encodeWithSelector(ERC1271_MAGIC_VALUE, digest, signature));
            if (!success || result.length < 32 || abi.decode(result, (bytes4)) != ERC1271_MAGIC_VALUE) {
                revert InvalidContractSignature();
            }
            return;
        }
        bytes32 r;
        bytes32 s;
        uint8 v;
        if (signature.length == 65) {
            r = bytes32(signature[0:32]);
            s = bytes32(signature[32:64]);
            v = uint8(signature[64]);
        } else if (signature.length == 64) {
            // EIP-2098: the top bit of the second word is y-parity, the rest is s.
            r = bytes32(signature[0:32]);
            bytes32 vs = bytes32(signature[32:64]);
            s = vs & bytes32(type(uint256).max >> 1);
            v = uint8(uint256(vs) >> 255) + 27;
        } else {
            revert InvalidSignatureLength();
        }
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
        if (signer != owner) revert InvalidSigner();
    }

    function _tokenTransferFrom(address token, address from, address to, uint256 amount) private {
        // A call to an address without code succeeds and returns nothing: refuse it, or a wrong token address
        // would look like a paid transfer.
        if (token.code.length == 0) revert TokenTransferFailed(token);
        (bool success, bytes memory result) =
            token.call(abi.encodeWithSignature("transferFrom(address,address,uint256)", from, to, amount));
        if (!success) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
        if (result.length > 0 && (result.length < 32 || !abi.decode(result, (bool)))) {
            revert TokenTransferFailed(token);
        }
    }

    /// The token has no code or its transferFrom returned false.
    error TokenTransferFailed(address token);
}
