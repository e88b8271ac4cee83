# One image for every netsplit service (writer, reconciler, audit, mirror, health), built only from
# this repository's own build output: run `./mvnw package -DskipTests` first. Nothing is downloaded
# at image build time beyond the base image.
#   project jars      <module>/target/netsplit-<module>-<version>.jar
#   third-party jars  containers/target/docker/lib/ (the services' runtime dependencies, copied there
#                     by the containers module's build)
# The containers module's DockerfileTest checks that every COPY source below exists after the build.
FROM eclipse-temurin:21-jre

ARG NETSPLIT_VERSION=0.1.0-SNAPSHOT

COPY containers/target/docker/lib/ /opt/netsplit/lib/
COPY schemas/target/netsplit-schemas-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY kit/target/netsplit-kit-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY lab/api/target/netsplit-lab-api-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY lab/target/netsplit-lab-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY mirror/target/netsplit-mirror-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY reconcile-streams/merge/target/netsplit-merge-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY reconcile-streams/client/target/netsplit-reconcile-client-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY reconcile-streams/target/netsplit-reconcile-streams-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY site-writer/target/netsplit-site-writer-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY audit-sink/target/netsplit-audit-sink-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY health/target/netsplit-health-${NETSPLIT_VERSION}.jar /opt/netsplit/lib/
COPY docker/mirror/ /opt/netsplit/mirror/
COPY docker/health/ /opt/netsplit/health/
COPY docker/netsplit-entrypoint.sh docker/healthcheck.sh /opt/netsplit/bin/
COPY docker/logback.xml /opt/netsplit/

WORKDIR /var/lib/netsplit
EXPOSE 8080
ENTRYPOINT ["/opt/netsplit/bin/netsplit-entrypoint.sh"]
CMD ["writer"]
