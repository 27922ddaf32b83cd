# berth in a container (docs/distributed.md). Build: docker build -t berth .
FROM swift:6.1 AS build
RUN apt-get update && apt-get install -y --no-install-recommends libgsl-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product berth --static-swift-stdlib

FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends libgsl27 libgslcblas0 libcurl4 libxml2 && rm -rf /var/lib/apt/lists/*
WORKDIR /berth
COPY --from=build /src/.build/release/berth /usr/local/bin/berth
COPY scenarios ./scenarios
COPY sweeps ./sweeps
COPY docs ./docs
ENTRYPOINT []
CMD ["berth", "--help"]
