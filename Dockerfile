# One image recipe for every service (daemon builds; see scripts/build-image.sh):
#   docker build --build-arg SERVICE=addressbook --build-arg PORT=3000 -t micro-canary/addressbook:0.1.0-<sha> .
# (scripts/build-image.sh does this with the tag of scripts/image-tag.sh and MAIN_CLASS from the module's pom)
# The service's jar is built first by Maven (./mvnw package -pl <service> -am); BASE_IMAGE is any Java 17+ runtime.
# The default is Java 25, whose ahead-of-time cache (stage 1) makes the service ready sooner than 17's CDS archive.
ARG BASE_IMAGE=eclipse-temurin:25-jre

# Stage 1: a training run that starts the service, answers its own training requests for a few seconds
# (micro-canary/training-requests.txt in the service's jar) and exits, leaving class data for the next start: on a
# JDK 25 or newer base an ahead-of-time cache (classes loaded and linked, method profiles), before that a
# class-data-sharing archive. /app/class-data.options names whichever was written (bench/startup.sh measures what
# each gives); a service that cannot start here gets none and starts without.
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
RUN major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" \
 && if [ "${major%%.*}" -ge 25 ]; then write=-XX:AOTCacheOutput=/app/app.aot use=-XX:AOTCache=/app/app.aot; \
    else write=-XX:ArchiveClassesAtExit=/app/app.jsa use=-XX:SharedArchiveFile=/app/app.jsa; fi \
 && if MICRO_CANARY_EXIT_AFTER_START=true MIGRATE_ON_START=false PORT=-1 java @/app/jvm.options "$write" \
        -cp @/app/jib-classpath-file @/app/jib-main-class-file >/tmp/training.log 2>&1; \
    then printf '%s\n' "$use" >/app/class-data.options; \
    else echo "no class data for ${SERVICE}: $(tail -n 3 /tmp/training.log)"; : >/app/class-data.options; fi

# Stage 2: the runtime image: the jar, its class data and the JVM flags; no build tools, never root.
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
ENTRYPOINT ["java", "@/app/jvm.options", "@/app/class-data.options", "-cp", "@/app/jib-classpath-file", \
            "@/app/jib-main-class-file"]
