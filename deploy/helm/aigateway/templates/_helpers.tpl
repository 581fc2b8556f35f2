{{/* Names: <fullname>-<service>; fullname is the release name when it already contains the chart's. */}}
{{- define "aigw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aigw.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The services, and what differs between them (mirrors deploy/base). */}}
{{- define "aigw.services" -}}
ingress: { values: ingress, http: 8080, grace: 50 }
selector: { values: selector, grpc: 50051, grace: 45, shutdownGraceMs: "10000" }
auth: { values: auth, grpc: 50052, grace: 45, shutdownGraceMs: "10000" }
provider-call: { values: providerCall, grpc: 50053, grace: 45, shutdownGraceMs: "15000" }
logging: { values: logging, grace: 45 }
{{- end -}}

{{- define "aigw.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object; pass (dict "root" $ "component" "<service>"). */}}
{{- define "aigw.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "aigw.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: aigateway
{{- end -}}

{{- define "aigw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aigw.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Pod and container hardening, the same for every pod (STYLE "Deploy"). */}}
{{- define "aigw.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "aigw.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{- define "aigw.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.secrets.existingSecret }}
      key: {{ .key }}
{{- end -}}

{{/* Per-service container parts: ports, env, probes, lifecycle. */}}
{{- define "aigw.container.ingress" -}}
{{- $full := include "aigw.fullname" .root -}}
ports:
  - name: http
    containerPort: 8080
  - name: metrics
    containerPort: 9464
env:
  - name: HTTP_HOST
    value: 0.0.0.0
  - name: HTTP_PORT
    value: "8080"
  - name: SELECTOR_ADDR
    value: {{ $full }}-selector:50051
  - name: AUTH_ADDR
    value: {{ $full }}-auth:50052
  - name: PROVIDER_CALL_ADDR
    value: {{ $full }}-provider-call:50053
  - name: SHUTDOWN_DRAIN_MS
    value: "10000"
  - name: SHUTDOWN_GRACE_MS
    value: "25000"
  - name: HTTP_KEEPALIVE_TIMEOUT_MS
    value: "65000"
  - name: LOG_OUTBOX_DIR
    value: /var/lib/aigw/outbox
  - name: LOG_OUTBOX_MAX_BYTES
    value: 64mb
  - name: LOG_FLUSH_TIMEOUT_MS
    value: "5000"
{{ include "aigw.secretEnv" (dict "root" .root "name" "DATABASE_URL" "key" .root.Values.secrets.keys.databaseUrl) | indent 2 }}
{{ include "aigw.secretEnv" (dict "root" .root "name" "AIGW_ENCRYPTION_KEY" "key" .root.Values.secrets.keys.encryptionKey) | indent 2 }}
{{ include "aigw.secretEnv" (dict "root" .root "name" "AIGW_ADMIN_TOKEN" "key" .root.Values.secrets.keys.adminToken) | indent 2 }}
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  failureThreshold: 2
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: log-outbox
    mountPath: /var/lib/aigw/outbox
{{- end -}}

{{/* selector, auth, provider-call: the gRPC backends. */}}
{{- define "aigw.container.grpc" -}}
ports:
  - name: grpc
    containerPort: {{ .def.grpc }}
  - name: metrics
    containerPort: 9464
env:
  - name: GRPC_HOST
    value: 0.0.0.0
  - name: GRPC_PORT
    value: {{ .def.grpc | quote }}
  - name: SHUTDOWN_GRACE_MS
    value: {{ .def.shutdownGraceMs | quote }}
{{ include "aigw.secretEnv" (dict "root" .root "name" "DATABASE_URL" "key" .root.Values.secrets.keys.databaseUrl) | indent 2 }}
{{- if eq .name "auth" }}
{{ include "aigw.secretEnv" (dict "root" .root "name" "AIGW_ENCRYPTION_KEY" "key" .root.Values.secrets.keys.encryptionKey) | indent 2 }}
{{- end }}
startupProbe:
  grpc:
    port: {{ .def.grpc }}
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  grpc:
    port: {{ .def.grpc }}
  periodSeconds: 5
  failureThreshold: 2
livenessProbe:
  grpc:
    port: {{ .def.grpc }}
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
lifecycle:
  preStop:
    exec:
      command: ["sleep", "5"]
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}

{{- define "aigw.container.logging" -}}
ports:
  - name: metrics
    containerPort: 9464
env:
{{ include "aigw.secretEnv" (dict "root" .root "name" "DATABASE_URL" "key" .root.Values.secrets.keys.databaseUrl) | indent 2 }}
startupProbe:
  httpGet:
    path: /metrics
    port: metrics
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  httpGet:
    path: /metrics
    port: metrics
  periodSeconds: 10
livenessProbe:
  httpGet:
    path: /metrics
    port: metrics
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}
