# One image recipe for every service (daemon builds; see scripts/build-image.sh):
#   docker build --build-arg SERVICE=addressbook --build-arg PORT=3000 -t micro-canary/addressbook:0.1.0-<sha> .
# (scripts/build-image.sh does this with the tag of scripts/image-tag.sh and MAIN_CLASS from the module's pom)
# The service's jar is built first by Maven (./mvnw package -pl <service> -am); BASE_IMAGE is any Java 17+ runtime.
ARG BASE_IMAGE=eclipse-temurin:17-jre

# Stage 1: a training run that starts the service once and exits, writing a class-data-sharing archive that
# roughly halves start-up time. A service that cannot start here simply gets no archive (-Xshare:auto copes).
# The launch files are the Jib image's (jib-classpath-file, jib-main-class-file), so that both recipes start the
# service, and run its commands, with one command line:
#   java -cp @/app/jib-classpath-file @/app/jib-main-class-file [ping|migrate]
# MAIN_CLASS defaults to the project's convention, io.microcanary.<service without dashes>.Application.
FROM ${BASE_IMAGE} AS train
ARG SERVICE
ARG MAIN_CLASS
ARG VERSION=0.1.0-SNAPSHOT
WORKDIR /app
COPY ${SERVICE}/target/${SERVICE}-${VERSION}.jar /app/app.jar
COPY jvm.options /app/jvm.options
RUN printf '%s\n' /app/app.jar >/app/jib-classpath-file \
 && printf '%s\n' "${MAIN_CLASS:-io.microcanary.$(printf '%s' "$SERVICE" | sed 's/-//g').Application}" >/app/jib-main-class-file \
 && java -cp @/app/jib-classpath-file --dry-run @/app/jib-main-class-file
RUN MICRO_CANARY_EXIT_AFTER_START=true MIGRATE_ON_START=false PORT=-1 \
    java @/app/jvm.options -XX:ArchiveClassesAtExit=/app/app.jsa -cp @/app/jib-classpath-file @/app/jib-main-class-file \
    >/dev/null 2>&1 || echo "no class-data-sharing archive for ${SERVICE}"

# Stage 2: the runtime image: the jar, its archive and the JVM flags; no build tools, never root.
FROM ${BASE_IMAGE}
ARG SERVICE
ARG VERSION=0.1.0-SNAPSHOT
ARG PORT=8080
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="micro-canary ${SERVICE}" \
      io.microcanary.service="${SERVICE}" \
      io.microcanary.sbom=/app/sbom/bom.json
WORKDIR /app
COPY --from=train /app/ /app/
# the service's CycloneDX bill of materials (Maven writes it beside the jar), where the Jib image has it too
COPY ${SERVICE}/target/bom.json /app/sbom/bom.json
ENV PORT=${PORT}
EXPOSE ${PORT}
USER 10001:10001
# `docker run IMAGE ping` / `migrate` (addressbook) run a command instead of the server; beside a running server (the
# canary checks: kubectl exec) the same launch with a small heap, as in the Jib image:
#   java -Xmx64m -XX:TieredStopAtLevel=1 -cp @/app/jib-classpath-file @/app/jib-main-class-file migrate
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/app.jsa", "-cp", "@/app/jib-classpath-file", \
            "@/app/jib-main-class-file"]
