// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title A development stablecoin with 6 decimals, like USDC: anyone may mint (dev chains only, never deploy it
///        anywhere money is real).
contract TestUSD is ERC20 {
    constructor() ERC20("Meridian Test USD", "TUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` minor units to `to`: the dev faucet.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
