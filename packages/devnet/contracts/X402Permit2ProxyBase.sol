// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20Permit, ISignatureTransfer} from "./ISignatureTransfer.sol";

// What the devnet's two x402 Permit2 proxies (exact and upto) share: the Permit2 address, the errors and
// events of their ABI, a reentrancy guard, the EIP-2612 step of settleWithPermit and the final Permit2 call.
// Each proxy defines its own witness (struct, EIP-712 type string and hash) and entry points.
//
// Permit2 is a constant rather than a constructor argument: the devnet copies the runtime code to the
// proxies' canonical addresses with hardhat_setCode, which carries no constructor and no storage.
abstract contract X402Permit2ProxyBase {
    /// The canonical Permit2 address; the devnet puts its own Permit2 there.
    ISignatureTransfer public constant PERMIT2 = ISignatureTransfer(0x000000000022D473030F116dDEE9F6B43aC78BA3);

    /// The EIP-2612 permit (owner => Permit2 for `value`) that settleWithPermit submits to the token first.
    struct EIP2612Permit {
        uint256 value;
        uint256 deadline;
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    error InvalidOwner();
    error InvalidDestination();
    error PaymentTooEarly();
    error Permit2612AmountMismatch();
    error ReentrancyGuardReentrantCall();

    event Settled();
    event SettledWithPermit();

    bool private transient _entered;

    modifier nonReentrant() {
        if (_entered) revert ReentrancyGuardReentrantCall();
        _entered = true;
        _;
        _entered = false;
    }

    /// Submits the owner's EIP-2612 permit for Permit2, for the permitted amount. A permit that fails (already
    /// used, e.g. submitted by someone who saw it first) is ignored: the Permit2 transfer then succeeds if the
    /// allowance is there anyway, and fails otherwise.
    function _permitPermit2(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner
    ) internal {
        if (permit2612.value != permit.permitted.amount) revert Permit2612AmountMismatch();
        try IERC20Permit(permit.permitted.token).permit(
            owner, address(PERMIT2), permit2612.value, permit2612.deadline, permit2612.v, permit2612.r, permit2612.s
        ) {} catch {}
    }

    /// Checks what every x402 witness carries (owner, destination, validAfter), then moves `amount` from
    /// `owner` to `to` through Permit2 with this contract as the spender.
    function _settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        address to,
        uint256 validAfter,
        bytes32 witnessHash,
        string memory witnessTypeString,
        bytes calldata signature
    ) internal {
        if (owner == address(0)) revert InvalidOwner();
        if (to == address(0)) revert InvalidDestination();
        if (block.timestamp < validAfter) revert PaymentTooEarly();
        PERMIT2.permitWitnessTransferFrom(
            permit,
            ISignatureTransfer.SignatureTransferDetails({to: to, requestedAmount: amount}),
            owner,
            witnessHash,
            witnessTypeString,
            signature
        );
    }
}
