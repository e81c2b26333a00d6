// Serverless NuGet feed on Azure Functions Flex Consumption (.NET isolated worker, identity-only storage access).
// Deploy:  az deployment group create -g <rg> -f infra/bicep/main.bicep -p namePrefix=<prefix>
// Then:    ./scripts/publish.sh && az functionapp deployment source config-zip -g <rg> -n <functionAppName> --src publish/feed.zip

targetScope = 'resourceGroup'

// ---------- Parameters ----------

@description('Azure region for every resource. Must be a region that offers Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short prefix for resource names: lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(16)
param namePrefix string = 'nugetfeed'

@description('Function app name; must be globally unique (it becomes <name>.azurewebsites.net). Empty: <namePrefix>-<unique suffix>.')
@maxLength(60)
param functionAppName string = ''

@description('Storage account name; globally unique, 3-24 lowercase letters and digits. Empty: derived from namePrefix.')
@maxLength(24)
param storageAccountName string = ''

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param storageSku string = 'Standard_LRS'

@description('Allow account-key (Shared Key / SAS) access to the storage account. Nothing in this deployment needs it.')
param allowSharedKeyAccess bool = false

@description('Memory per instance (MB) of the Flex Consumption plan.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Largest accepted package, in bytes (Feed__MaxPackageSizeBytes). The host body limit is set to this + 1 MiB.')
@minValue(1048576)
param maxPackageSizeBytes int = 262144000

@description('May a push replace an existing id+version (Feed__AllowOverwrite).')
@allowed([
  'False'
  'PrereleaseOnly'
  'True'
])
param allowOverwrite string = 'False'

@description('What DELETE does (Feed__DeleteMode).')
@allowed([
  'Unlist'
  'HardDelete'
])
param deleteMode string = 'Unlist'

@description('Answer 403 on every write route (Feed__ReadOnly).')
param readOnly bool = false

@description('Require an API key with the read scope for every read route (Feed__RequireReadAuth).')
param requireReadAuth bool = false

@description('Serve symbols only to requests carrying a SymbolChecksum header (Feed__Symbols__RequireChecksum).')
param symbolsRequireChecksum bool = false

@description('Public base URL for links in V3 documents (Feed__PublicBaseUrl), e.g. a custom domain. Empty: taken from the request.')
param publicBaseUrl string = ''

@description('Optional CRON schedule (with seconds) of the outbox sweep that re-sends events a crashed worker left behind; empty: every minute.')
param sweepSchedule string = ''

@description('Trusted publishing: CI pipelines push with their OIDC token under the trust policies of the policies CLI (Feed__TrustedPublishing__Enabled).')
param trustedPublishingEnabled bool = true

@description('Lifetime of a key from POST /api/v2/token when the request names none (Feed__TrustedPublishing__DefaultKeyLifetime).')
param trustedPublishingDefaultKeyLifetime string = '00:15:00'

@description('Longest lifetime a token exchange may ask for, at most one hour (Feed__TrustedPublishing__MaxKeyLifetime).')
param trustedPublishingMaxKeyLifetime string = '01:00:00'

@description('Retention: keep the newest N prerelease versions of each id; 0 = no limit (Feed__Retention__MaxPrereleaseVersionsPerId). See docs/retention.md.')
@minValue(0)
param retentionMaxPrereleaseVersionsPerId int = 0

@description('Retention: keep the newest N stable versions within each major version; 0 = no limit (Feed__Retention__MaxStableVersionsPerMajor).')
@minValue(0)
param retentionMaxStableVersionsPerMajor int = 0

@description('Retention: a prerelease older than this (d.hh:mm:ss) goes once a higher stable version exists; empty = never (Feed__Retention__PrereleaseMaxAge).')
param retentionPrereleaseMaxAge string = ''

@description('Retention: what removing a version does (Feed__Retention__Action).')
@allowed([
  'Delete'
  'Unlist'
])
param retentionAction string = 'Delete'

@description('Retention: comma-separated package-id globs retention never touches, e.g. Contoso.Core,Tools.* (Feed__Retention__Exempt).')
param retentionExempt string = ''

@description('Optional full-access API key (Feed__ApiKey). Prefer leaving it empty and creating scoped keys with the keys CLI.')
@secure()
param feedApiKey string = ''

@description('Optional object id of a user or group that manages API keys with the keys CLI: gets Storage Table Data Contributor on the account.')
param keyAdminPrincipalId string = ''

@description('Kind of principal keyAdminPrincipalId is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param keyAdminPrincipalType string = 'User'

@description('Accept only Entra ID-authenticated telemetry in Application Insights.')
param appInsightsDisableLocalAuth bool = true

@description('Tags applied to every resource.')
param tags object = {}

// ---------- Names ----------

var suffix = uniqueString(subscription().id, resourceGroup().id, namePrefix)
var appName = empty(functionAppName) ? '${namePrefix}-${suffix}' : functionAppName
var storageName = empty(storageAccountName) ? take('${replace(toLower(namePrefix), '-', '')}${suffix}', 24) : storageAccountName
var deploymentContainerName = 'app-package'

// Built-in roles (well-known ids).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// ---------- Resources ----------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'feed-storage'
  params: {
    location: location
    storageAccountName: storageName
    skuName: storageSku
    allowSharedKeyAccess: allowSharedKeyAccess
    deploymentContainerName: deploymentContainerName
    tags: tags
  }
}

// The app's identity: blobs (feed packages + deployment package), the event queue (and the host's poison
// queue), the feed's tables (and the host's timer/queue bookkeeping).
module appStorageRoles 'modules/storage-roles.bicep' = {
  name: 'feed-storage-roles-app'
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      storageBlobDataOwner
      storageQueueDataContributor
      storageTableDataContributor
    ]
  }
}

// Whoever runs the keys CLI against production needs the ApiKeys table.
module keyAdminRoles 'modules/storage-roles.bicep' = if (!empty(keyAdminPrincipalId)) {
  name: 'feed-storage-roles-key-admin'
  params: {
    storageAccountName: storage.outputs.name
    principalId: keyAdminPrincipalId
    principalType: keyAdminPrincipalType
    roleDefinitionIds: [
      storageTableDataContributor
    ]
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'feed-monitoring'
  params: {
    location: location
    logAnalyticsName: '${namePrefix}-log-${suffix}'
    applicationInsightsName: '${namePrefix}-appi-${suffix}'
    disableLocalAuth: appInsightsDisableLocalAuth
    publisherPrincipalId: identity.properties.principalId
    tags: tags
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'feed-function-app'
  params: {
    location: location
    functionAppName: appName
    planName: '${namePrefix}-plan-${suffix}'
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    feedApiKey: feedApiKey
    feedSettings: {
      // Host limit (default 100 MB, over which the host answers 500) = package limit + the multipart allowance the
      // push reader also grants; the worker's own limit is lifted in Program.cs, so the push reader answers 413.
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(maxPackageSizeBytes + 1048576)
      Feed__MaxPackageSizeBytes: string(maxPackageSizeBytes)
      Feed__AllowOverwrite: allowOverwrite
      Feed__DeleteMode: deleteMode
      Feed__ReadOnly: readOnly ? 'true' : 'false'
      Feed__RequireReadAuth: requireReadAuth ? 'true' : 'false'
      Feed__PublicBaseUrl: publicBaseUrl
      Feed__Symbols__RequireChecksum: symbolsRequireChecksum ? 'true' : 'false'
      // Optional: empty keeps the SweepOutbox timer's built-in schedule (every minute).
      Feed__Events__SweepSchedule: sweepSchedule
      Feed__Events__SweepAge: '00:02:00'
      // The search index (docs/search.md): how stale an instance's copy may be, and its build at start-up.
      Feed__Search__RefreshInterval: '00:00:01'
      Feed__Search__BuildOnStart: 'true'
      // Trusted publishing. AllowHttpLoopbackIssuers is for tests only and deliberately absent: issuers must use https.
      Feed__TrustedPublishing__Enabled: trustedPublishingEnabled ? 'true' : 'false'
      Feed__TrustedPublishing__DefaultKeyLifetime: trustedPublishingDefaultKeyLifetime
      Feed__TrustedPublishing__MaxKeyLifetime: trustedPublishingMaxKeyLifetime
      Feed__TrustedPublishing__ClockSkew: '00:01:00'
      Feed__TrustedPublishing__MaxCachedIssuers: '32'
      Feed__TrustedPublishing__MetadataRefreshInterval: '01:00:00'
      Feed__TrustedPublishing__UnknownKeyRefreshInterval: '00:01:00'
      // Retention (off while both counts are 0 and the age is empty). MinimumAge is for tests only and deliberately absent.
      Feed__Retention__MaxPrereleaseVersionsPerId: string(retentionMaxPrereleaseVersionsPerId)
      Feed__Retention__MaxStableVersionsPerMajor: string(retentionMaxStableVersionsPerMajor)
      Feed__Retention__PrereleaseMaxAge: retentionPrereleaseMaxAge
      Feed__Retention__Action: retentionAction
      Feed__Retention__Exempt: retentionExempt
    }
    tags: tags
  }
  // Let the role assignments exist before the host first touches storage or the deployment container.
  dependsOn: [
    appStorageRoles
  ]
}

// ---------- Outputs ----------

output functionAppName string = functionApp.outputs.name
output feedUrl string = 'https://${functionApp.outputs.defaultHostName}/v3/index.json'
output pushUrl string = 'https://${functionApp.outputs.defaultHostName}/api/v2/package'
output storageAccountName string = storage.outputs.name
output storageBlobEndpoint string = storage.outputs.blobEndpoint
output storageQueueEndpoint string = storage.outputs.queueEndpoint
output storageTableEndpoint string = storage.outputs.tableEndpoint
