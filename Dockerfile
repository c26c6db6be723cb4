# The image deploy/kubernetes/ runs: Debian 12 slim with one file added, /usr/local/bin/hotline
# (release build; it links only libc, libm and libgcc_s, all in the slim image; the chart font is
# compiled in). No scenarios inside: the manifests mount them from the shared volume.
#
# Not built or tested by this project: its machines and CI have no container runtime. The
# manifests name it as this command tags it, and never pull it (imagePullPolicy: Never):
#   docker build -t hotline:0.1.0 .
# then load it onto the nodes (kind load docker-image hotline:0.1.0; minikube image load …), or
# push it to your registry and put that name in both manifests instead.

# Build stage: the Rust toolchain on Debian 12 (the rustc CI uses; Cargo.toml's rust-version is
# the minimum).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# Cargo.lock pins every dependency (--locked); no debug info in the shipped binary.
RUN CARGO_PROFILE_RELEASE_DEBUG=0 cargo build --release --locked --bin hotline

# Run stage: nothing but the binary on Debian 12 slim (sh and seq stay: the merge Job uses them).
FROM debian:bookworm-slim
COPY --from=build /src/target/release/hotline /usr/local/bin/hotline
ENTRYPOINT ["/usr/local/bin/hotline"]
CMD ["--help"]
