// Flex Consumption (FC1) plan + Linux function app running the feed as a .NET isolated worker. The runtime comes
// from functionAppConfig.runtime (dotnet-isolated 10.0, the version the app targets): on Flex, FUNCTIONS_WORKER_RUNTIME /
// FUNCTIONS_EXTENSION_VERSION / WEBSITE_RUN_FROM_PACKAGE must not be set. The package (scripts/publish.sh) is read
// from a blob container with the app's user-assigned identity.

@description('Azure region.')
param location string

@description('Function app name (becomes <name>.azurewebsites.net).')
param functionAppName string

@description('Flex Consumption plan name.')
param planName string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityResourceId string

@description('Client id of that identity (for AzureWebJobsStorage__clientId and Application Insights).')
param identityClientId string

@description('Storage account name (host storage, feed storage and deployment container).')
param storageAccountName string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Instance memory size in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('.NET version of the isolated worker; must match the TargetFramework the app is built for (net10.0).')
param dotnetVersion string = '10.0'

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Feed settings (Feed__*) and other app settings added to the host/storage settings.')
param feedSettings object

@description('Full-access API key (Feed__ApiKey). Empty: no full-access key, use scoped keys from the keys CLI.')
@secure()
param feedApiKey string = ''

param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// Identity-based host storage: the Functions host (queue trigger, timer locks) and the feed's Azure SDK clients
// (src/FeedFunctions/Storage/StorageConnectionSettings.cs) both read these.
var hostSettings = {
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // The host's own "up and running" page would hide the feed's package browser at '/'.
  AzureWebJobsDisableHomepage: 'true'
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(hostSettings, feedSettings, empty(feedApiKey) ? {} : { Feed__ApiKey: feedApiKey })
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
