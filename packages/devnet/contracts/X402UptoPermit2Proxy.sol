// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";
import {X402Permit2ProxyBase} from "./X402Permit2ProxyBase.sol";

// The x402 "upto" Permit2 proxy, written for open402's devnet, which places it at the canonical address
// 0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002. It is the `spender` the payer names in a Permit2
// PermitWitnessTransferFrom signature whose witness is
// Witness(address to,address facilitator,uint256 validAfter): the permitted amount is a maximum, and the
// facilitator named in the witness (only it: msg.sender must be witness.facilitator) settles any amount up
// to it, zero included, to `witness.to`, once per nonce, between `witness.validAfter` and the deadline.
contract X402UptoPermit2Proxy is X402Permit2ProxyBase {
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH =
        keccak256("Witness(address to,address facilitator,uint256 validAfter)");

    struct Witness {
        address to;
        address facilitator;
        uint256 validAfter;
    }

    /// The amount to settle is above the permitted maximum.
    error AmountExceedsPermitted();
    /// The caller is not the facilitator the payer named in the witness.
    error UnauthorizedFacilitator();

    /// Moves `amount` (at most `permit.permitted.amount`) from `owner` to `witness.to` with the owner's
    /// Permit2 signature. Only `witness.facilitator` may call it.
    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settleUpto(permit, amount, owner, witness, signature);
        emit Settled();
    }

    /// Submits the owner's EIP-2612 permit (value = the permitted maximum, spender = Permit2) to the token,
    /// then settles as {settle}.
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        // Checked before the permit so that nobody but the facilitator can spend the owner's EIP-2612 nonce here.
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
        _permitPermit2(permit2612, permit, owner);
        _settleUpto(permit, amount, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settleUpto(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
        if (amount > permit.permitted.amount) revert AmountExceedsPermitted();
        bytes32 witnessHash =
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter));
        _settle(permit, amount, owner, witness.to, witness.validAfter, witnessHash, WITNESS_TYPE_STRING, signature);
    }
}
