// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// A minimal EIP-1271 contract wallet for tests of contract-signer payments.
//
// isValidSignature(hash, signature) answers the EIP-1271 magic value 0x1626ba7e when `signature` is a
// 65-byte r || s || v ECDSA signature by `owner` over `hash` itself (no wallet-specific re-hashing), so a
// payment "from" this wallet is signed by the owner's key over the token's EIP-712 digest. There is no
// replay protection between two wallets of the same owner: it is a test fixture, not a wallet to hold money.
contract SmartWallet {
    bytes4 private constant ERC1271_MAGIC_VALUE = 0x1626ba7e;
    bytes4 private constant ERC1271_INVALID = 0xffffffff;
    uint256 private constant SECP256K1_HALF_ORDER =
        0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    address public immutable owner;

    constructor(address owner_) {
        require(owner_ != address(0), "SmartWallet: owner is the zero address");
        owner = owner_;
    }

    receive() external payable {}

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return ERC1271_INVALID;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > SECP256K1_HALF_ORDER || (v != 27 && v != 28)) return ERC1271_INVALID;
        address signer = ecrecover(hash, v, r, s);
        return signer != address(0) && signer == owner ? ERC1271_MAGIC_VALUE : ERC1271_INVALID;
    }

    // Lets the owner move what the wallet holds (tokens, ETH) in tests.
    function execute(address target, uint256 value, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner, "SmartWallet: caller is not the owner");
        (bool success, bytes memory result) = target.call{value: value}(data);
        if (!success) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }
}
