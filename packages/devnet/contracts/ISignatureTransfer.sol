// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// The signature-transfer interface of Permit2 (Uniswap's canonical contract at
// 0x000000000022D473030F116dDEE9F6B43aC78BA3) that x402 payments use: the structs, the
// permitWitnessTransferFrom entry point and the unordered nonce bitmap. Declared here so the devnet's
// Permit2 and the x402 proxies share one definition; the ABI (function and error selectors) matches the
// canonical contract's, so clients and facilitators written for it work with the devnet's.
interface ISignatureTransfer {
    /// The token and the most the signature lets the spender move.
    struct TokenPermissions {
        address token;
        uint256 amount;
    }

    /// What the owner signs (the spender is the caller of Permit2, so it is not a field here).
    struct PermitTransferFrom {
        TokenPermissions permitted;
        uint256 nonce;
        uint256 deadline;
    }

    /// Where the spender sends the tokens and how many (at most `permitted.amount`).
    struct SignatureTransferDetails {
        address to;
        uint256 requestedAmount;
    }

    /// The deadline of the signature has passed.
    error SignatureExpired(uint256 signatureDeadline);
    /// The nonce was used or invalidated before.
    error InvalidNonce();
    /// The requested amount is above the permitted amount.
    error InvalidAmount(uint256 maxAmount);
    /// The ECDSA signature does not recover to any address.
    error InvalidSignature();
    /// The ECDSA signature recovers to an address other than the owner.
    error InvalidSigner();
    /// The signature of an owner without code is neither 64 nor 65 bytes long.
    error InvalidSignatureLength();
    /// The owner has code and its EIP-1271 isValidSignature did not accept the signature.
    error InvalidContractSignature();

    /// `mask` was set in the owner's nonce word `word` by invalidateUnorderedNonces.
    event UnorderedNonceInvalidation(address indexed owner, uint256 word, uint256 mask);

    function DOMAIN_SEPARATOR() external view returns (bytes32);

    function nonceBitmap(address owner, uint256 wordPos) external view returns (uint256);

    function invalidateUnorderedNonces(uint256 wordPos, uint256 mask) external;

    function permitTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes calldata signature
    ) external;

    function permitWitnessTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external;
}

/// EIP-2612 permit, which the x402 proxies call on the token before settling (settleWithPermit).
interface IERC20Permit {
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
}
