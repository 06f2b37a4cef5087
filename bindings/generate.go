// Package bindings holds abigen output only: Go bindings for AmnEscrow, a standard ERC-20 and
// Request Network's fee proxies. Every other file here is generated; never edit them by hand —
// `make generate` rewrites them and `make test` fails when they differ from what it makes.
//
// The Request Network and OpenZeppelin ABIs are read from node_modules (npm packages pinned in
// package.json) at generation time; their bytecode is not in this package, and devnets read it
// from node_modules when they deploy.
//
// Our own contracts (AmnEscrow, AmnSweeper — the code deposits delegate to for batched EIP-7702
// sweeps — and the test tokens StandardToken and NoReturnToken that devnets
// deploy, and FeeOnTransferToken that tests deploy) carry their bytecode too. Their artifacts come from forge: the first go:generate line
// runs `forge build` (a no-op when nothing changed) so that out/ is current before abigen reads
// it. The build is deterministic (same sources and settings, same bytecode), so regenerating
// leaves no diff.
package bindings

//go:generate ../scripts/forge-build.sh

//go:generate ../scripts/abigen.sh ERC20FeeProxy ../node_modules/@requestnetwork/smart-contracts/dist/src/lib/artifacts/ERC20FeeProxy/0.1.0.json erc20_fee_proxy.go
//go:generate ../scripts/abigen.sh EthereumFeeProxy ../node_modules/@requestnetwork/smart-contracts/dist/src/lib/artifacts/EthereumFeeProxy/0.1.0.json ethereum_fee_proxy.go
//go:generate ../scripts/abigen.sh ERC20 ../node_modules/@openzeppelin/contracts/build/contracts/ERC20.json erc20.go
//go:generate ../scripts/abigen.sh AmnEscrow ../out/AmnEscrow.sol/AmnEscrow.json amn_escrow.go --with-bytecode
//go:generate ../scripts/abigen.sh AmnSweeper ../out/AmnSweeper.sol/AmnSweeper.json amn_sweeper.go --with-bytecode
//go:generate ../scripts/abigen.sh StandardToken ../out/Tokens.sol/StandardToken.json standard_token.go --with-bytecode
//go:generate ../scripts/abigen.sh NoReturnToken ../out/Tokens.sol/NoReturnToken.json no_return_token.go --with-bytecode
//go:generate ../scripts/abigen.sh FeeOnTransferToken ../out/Tokens.sol/FeeOnTransferToken.json fee_on_transfer_token.go --with-bytecode
