// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";
import {X402Permit2ProxyBase} from "./X402Permit2ProxyBase.sol";

// The x402 "exact" Permit2 proxy, written for open402's devnet, which places it at the canonical address
// 0x402085c248EeA27D92E8b30b2C58ed07f9E20001. It is the `spender` the payer names in a Permit2
// PermitWitnessTransferFrom signature whose witness is Witness(address to,uint256 validAfter): it moves
// exactly the permitted amount to `witness.to`, never before `witness.validAfter` and never after the
// permit's deadline (Permit2 checks that), once per nonce (Permit2 again).
//
// Anyone may call settle: the signed witness has no facilitator field, and adding one would change the type
// that clients sign. A third party that submits a payment first only pays its gas: the payee gets exactly
// the permitted amount either way, and the facilitator's own transaction then reverts with InvalidNonce.
contract X402ExactPermit2Proxy is X402Permit2ProxyBase {
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,uint256 validAfter)");

    struct Witness {
        address to;
        uint256 validAfter;
    }

    /// The permitted amount is zero: nothing to pay.
    error InvalidAmount();

    /// Moves `permit.permitted.amount` from `owner` to `witness.to` with the owner's Permit2 signature.
    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settleExact(permit, owner, witness, signature);
        emit Settled();
    }

    /// Submits the owner's EIP-2612 permit (value = the permitted amount, spender = Permit2) to the token,
    /// then settles as {settle}: one transaction for a payer who has not approved Permit2 yet.
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _permitPermit2(permit2612, permit, owner);
        _settleExact(permit, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settleExact(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        uint256 amount = permit.permitted.amount;
        if (amount == 0) revert InvalidAmount();
        bytes32 witnessHash = keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.validAfter));
        _settle(permit, amount, owner, witness.to, witness.validAfter, witnessHash, WITNESS_TYPE_STRING, signature);
    }
}
