import type { ManagedRole } from './role.js';
import type { ScopeLevel } from './scope.js';

/** Our own permission `_account_admin` also gets, and the only permission of `_access_checker` (DESIGN §3.3). */
const ACL_CHECK = 'core_acl_check';

/** A managed role as written below: the permission list is one comma-separated string in YAML order. */
interface ManagedRoleSpec {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly allowedScopeLevels: readonly ScopeLevel[];
  readonly internal?: boolean;
  readonly permissions: string;
  /** Permissions of ours appended after the reference list. */
  readonly extraPermissions?: readonly string[];
}

/**
 * The managed roles of reference §3.2 with the exact permission lists of §3.4 (S2 v68), in order.
 * `_super_account_viewer` is a support role (§3.5) and is deliberately absent.
 */
const MANAGED_ROLE_SPECS: readonly ManagedRoleSpec[] = [
  {
    identifier: '_project_admin',
    name: 'Project Admin',
    description: 'Administrate an existing project.',
    allowedScopeLevels: ['project'],
    permissions: `
      core_user_invite, core_project_view, core_project_edit, core_project_delete, core_secret_view,
      core_secret_edit, core_secret_delete, core_secret_access, core_connector_view, core_connector_edit,
      core_connector_delete, core_connector_access, core_delegate_view, core_delegate_edit,
      core_delegate_delete, core_delegateconfiguration_view, core_delegateconfiguration_edit,
      core_delegateconfiguration_delete, core_pipeline_view, core_pipeline_edit, core_pipeline_delete,
      core_pipeline_execute, core_service_view, core_service_edit, core_service_delete,
      core_service_access, core_environment_view, core_environment_edit, core_environment_delete,
      core_environment_access, core_environmentgroup_view, core_environmentgroup_edit,
      core_environmentgroup_delete, core_environmentgroup_access, core_audit_view, core_usergroup_view,
      core_usergroup_manage, core_user_view, core_user_manage, core_role_view, core_role_edit,
      core_role_delete, core_serviceaccount_view, core_serviceaccount_edit, core_serviceaccount_delete,
      core_serviceaccount_manageapikey, core_serviceaccount_list, core_resourcegroup_view,
      core_resourcegroup_edit, core_resourcegroup_delete, ff_featureflag_delete, ff_featureflag_edit,
      ff_featureflag_view, ff_targetgroup_delete, ff_targetgroup_view, ff_targetgroup_edit,
      ff_environment_targetGroupEdit, ff_target_view, ff_environment_apiKeyView,
      ff_environment_apiKeyCreate, ff_environment_apiKeyDelete, ff_environment_edit, ff_environment_view,
      ff_featureflag_toggle, core_template_access, core_template_copy, core_template_delete,
      core_template_edit, core_template_view, core_governancePolicySets_view,
      core_governancePolicySets_edit, core_governancePolicySets_delete,
      core_governancePolicySets_evaluate, core_governancePolicy_view, core_governancePolicy_edit,
      core_governancePolicy_delete, chi_monitoredservice_view, chi_monitoredservice_edit,
      chi_monitoredservice_delete, chi_monitoredservice_toggle, chi_slo_view, chi_slo_edit,
      chi_slo_delete, chi_downtime_view, chi_downtime_edit, chi_downtime_delete, gitops_agent_view,
      gitops_agent_edit, gitops_agent_delete, gitops_application_view, gitops_application_edit,
      gitops_application_delete, gitops_application_sync, gitops_repository_view, gitops_repository_edit,
      gitops_repository_delete, gitops_cluster_view, gitops_cluster_edit, gitops_cluster_delete,
      gitops_gpgkey_view, gitops_gpgkey_edit, gitops_gpgkey_delete, gitops_cert_view, gitops_cert_edit,
      gitops_cert_delete, sto_issue_view, sto_scan_view, sto_testtarget_view, sto_testtarget_edit,
      sto_exemption_view, sto_exemption_create, sto_exemption_approve, sto_ticket_view, sto_ticket_edit,
      sto_ticket_delete, core_file_view, core_file_edit, core_file_delete, core_file_access,
      core_variable_view, core_variable_edit, core_variable_delete, chaos_chaoshub_view,
      chaos_chaoshub_edit, chaos_chaoshub_delete, chaos_chaosinfrastructure_view,
      chaos_chaosinfrastructure_edit, chaos_chaosinfrastructure_delete, chaos_chaosexperiment_view,
      chaos_chaosexperiment_edit, chaos_chaosexperiment_delete, chaos_chaosexperiment_execute,
      chaos_chaosgameday_view, chaos_chaosgameday_edit, chaos_chaosgameday_delete, core_setting_view,
      core_setting_edit, core_deploymentfreeze_manage, core_deploymentfreeze_override,
      core_deploymentfreeze_global, code_repo_view, code_repo_edit, code_repo_delete, code_repo_push,
      code_repo_reportCommitCheck, servicediscovery_networkmap_create, servicediscovery_networkmap_edit,
      servicediscovery_networkmap_delete, servicediscovery_networkmap_view,
      chaos_chaossecuritygovernance_edit, chaos_chaossecuritygovernance_delete,
      chaos_chaossecuritygovernance_view, cet_agents_view, cet_token_view, cet_token_create,
      cet_token_revoke, cet_criticalevent_view, cet_criticalevent_create, cet_criticalevent_delete,
      iac_workspace_accessstate, iac_workspace_approve, iac_workspace_delete,
      iac_workspace_deletevariable, iac_workspace_edit, iac_workspace_editvariable, iac_workspace_view,
      core_inputset_edit, core_inputset_delete, core_inputset_view
    `,
  },
  {
    identifier: '_project_viewer',
    name: 'Project Viewer',
    description: 'View a project',
    allowedScopeLevels: ['project'],
    permissions: `
      core_project_view, core_secret_view, core_connector_view, core_delegate_view,
      core_delegateconfiguration_view, core_pipeline_view, core_inputset_view, core_service_view,
      core_environment_view, core_environmentgroup_view, core_audit_view, core_usergroup_view,
      core_user_view, core_role_view, core_resourcegroup_view, core_serviceaccount_view,
      core_serviceaccount_list, core_template_view, core_governancePolicy_view,
      core_governancePolicySets_view, chi_monitoredservice_view, chi_slo_view, chi_downtime_view,
      ff_featureflag_view, ff_targetgroup_view, ff_target_view, ff_environment_apiKeyView,
      ff_environment_view, gitops_agent_view, gitops_application_view, gitops_repository_view,
      gitops_cluster_view, gitops_gpgkey_view, gitops_cert_view, sto_issue_view, sto_scan_view,
      sto_testtarget_view, sto_exemption_view, sto_ticket_view, core_file_view, core_variable_view,
      chaos_chaoshub_view, chaos_chaosinfrastructure_view, chaos_chaosexperiment_view,
      chaos_chaosgameday_view, core_setting_view, code_repo_view, servicediscovery_networkmap_view,
      chaos_chaossecuritygovernance_view, cet_agents_view, cet_token_view, cet_criticalevent_view,
      iac_workspace_view
    `,
  },
  {
    identifier: '_organization_admin',
    name: 'Organization Admin',
    description: 'Administer an existing organizationn',
    allowedScopeLevels: ['organization'],
    permissions: `
      core_user_invite, core_organization_view, core_organization_edit, core_organization_delete,
      core_project_create, core_project_delete, core_project_view, core_project_edit, core_secret_view,
      core_secret_edit, core_secret_delete, core_secret_access, core_connector_view, core_connector_edit,
      core_connector_delete, core_connector_access, core_delegate_view, core_delegate_edit,
      core_delegate_delete, core_delegateconfiguration_view, core_delegateconfiguration_edit,
      core_delegateconfiguration_delete, core_service_view, core_service_edit, core_service_delete,
      core_service_access, core_environment_view, core_environment_edit, core_environment_delete,
      core_environment_access, core_environmentgroup_view, core_environmentgroup_edit,
      core_environmentgroup_delete, core_environmentgroup_access, core_audit_view, core_usergroup_view,
      core_usergroup_manage, core_user_view, core_user_manage, core_role_view, core_role_edit,
      core_role_delete, core_serviceaccount_view, core_serviceaccount_edit, core_serviceaccount_delete,
      core_serviceaccount_manageapikey, core_serviceaccount_list, core_resourcegroup_view,
      core_resourcegroup_edit, core_resourcegroup_delete, core_template_access, core_template_copy,
      core_template_delete, core_template_edit, core_template_view, core_governancePolicySets_view,
      core_governancePolicySets_edit, core_governancePolicySets_delete,
      core_governancePolicySets_evaluate, core_governancePolicy_view, core_governancePolicy_edit,
      core_governancePolicy_delete, core_pipeline_edit, core_pipeline_delete, core_pipeline_execute,
      core_pipeline_view, core_inputset_edit, core_inputset_delete, core_inputset_view,
      chi_monitoredservice_view, chi_monitoredservice_edit, chi_monitoredservice_delete,
      chi_monitoredservice_toggle, chi_slo_view, chi_slo_edit, chi_slo_delete, chi_downtime_view,
      chi_downtime_edit, chi_downtime_delete, ff_featureflag_edit, ff_featureflag_delete,
      ff_featureflag_view, ff_targetgroup_view, ff_targetgroup_edit, ff_targetgroup_delete,
      ff_environment_targetGroupEdit, ff_target_view, ff_environment_apiKeyView,
      ff_environment_apiKeyCreate, ff_environment_apiKeyDelete, ff_environment_edit, ff_environment_view,
      ff_featureflag_toggle, core_dashboards_view, core_dashboards_edit, gitops_agent_view,
      gitops_agent_edit, gitops_agent_delete, gitops_application_view, gitops_application_edit,
      gitops_application_delete, gitops_application_sync, gitops_repository_view, gitops_repository_edit,
      gitops_repository_delete, gitops_cluster_view, gitops_cluster_edit, gitops_cluster_delete,
      gitops_gpgkey_view, gitops_gpgkey_edit, gitops_gpgkey_delete, gitops_cert_view, gitops_cert_edit,
      gitops_cert_delete, sto_issue_view, sto_scan_view, sto_testtarget_view, sto_testtarget_edit,
      sto_exemption_view, sto_exemption_create, sto_exemption_approve, sto_ticket_view, sto_ticket_edit,
      sto_ticket_delete, core_file_view, core_file_edit, core_file_delete, core_file_access,
      core_variable_view, core_variable_edit, core_variable_delete, chaos_chaoshub_view,
      chaos_chaoshub_edit, chaos_chaoshub_delete, chaos_chaosinfrastructure_view,
      chaos_chaosinfrastructure_edit, chaos_chaosinfrastructure_delete, chaos_chaosexperiment_view,
      chaos_chaosexperiment_edit, chaos_chaosexperiment_delete, chaos_chaosexperiment_execute,
      chaos_chaosgameday_view, chaos_chaosgameday_edit, chaos_chaosgameday_delete, core_setting_view,
      core_setting_edit, core_deploymentfreeze_manage, core_deploymentfreeze_override,
      core_deploymentfreeze_global, code_repo_view, code_repo_edit, code_repo_delete, code_repo_push,
      code_repo_reportCommitCheck, servicediscovery_networkmap_create, servicediscovery_networkmap_edit,
      servicediscovery_networkmap_delete, servicediscovery_networkmap_view,
      chaos_chaossecuritygovernance_edit, chaos_chaossecuritygovernance_delete,
      chaos_chaossecuritygovernance_view, cet_agents_view, cet_token_view, cet_token_create,
      cet_token_revoke, cet_criticalevent_view, cet_criticalevent_create, cet_criticalevent_delete,
      iac_workspace_accessstate, iac_workspace_approve, iac_workspace_delete,
      iac_workspace_deletevariable, iac_workspace_edit, iac_workspace_editvariable, iac_workspace_view
    `,
  },
  {
    identifier: '_organization_viewer',
    name: 'Organization Viewer',
    description: 'View an organization',
    allowedScopeLevels: ['organization'],
    permissions: `
      core_organization_view, core_secret_view, core_connector_view, core_delegate_view,
      core_delegateconfiguration_view, core_service_view, core_environment_view,
      core_environmentgroup_view, core_audit_view, core_usergroup_view, core_user_view, core_role_view,
      core_resourcegroup_view, core_serviceaccount_view, core_serviceaccount_list, core_template_view,
      core_governancePolicy_view, core_governancePolicySets_view, core_project_view, core_pipeline_view,
      core_inputset_view, chi_monitoredservice_view, chi_slo_view, chi_downtime_view, ff_featureflag_view,
      ff_targetgroup_view, ff_target_view, ff_environment_apiKeyView, ff_environment_view,
      core_dashboards_view, gitops_agent_view, gitops_application_view, gitops_repository_view,
      gitops_cluster_view, gitops_gpgkey_view, gitops_cert_view, sto_issue_view, sto_scan_view,
      sto_testtarget_view, sto_exemption_view, sto_ticket_view, core_file_view, core_variable_view,
      chaos_chaoshub_view, chaos_chaosinfrastructure_view, chaos_chaosexperiment_view,
      chaos_chaosgameday_view, core_setting_view, code_repo_view, servicediscovery_networkmap_view,
      chaos_chaossecuritygovernance_view, cet_agents_view, cet_token_view, cet_criticalevent_view,
      iac_workspace_view
    `,
  },
  {
    identifier: '_account_admin',
    name: 'Account Admin',
    description: 'Administer an account',
    allowedScopeLevels: ['account'],
    extraPermissions: [ACL_CHECK],
    permissions: `
      core_user_invite, core_organization_create, core_organization_delete, core_organization_view,
      core_organization_edit, core_secret_view, core_secret_edit, core_secret_delete, core_secret_access,
      core_connector_view, core_connector_edit, core_connector_delete, core_connector_access,
      core_smtp_view, core_smtp_edit, core_smtp_delete, core_delegate_view, core_delegate_edit,
      core_delegate_delete, core_delegateconfiguration_view, core_delegateconfiguration_edit,
      core_delegateconfiguration_delete, core_service_view, core_service_edit, core_service_delete,
      core_service_access, core_environment_view, core_environment_edit, core_environment_delete,
      core_environment_access, core_environmentgroup_view, core_environmentgroup_edit,
      core_environmentgroup_delete, core_environmentgroup_access, core_audit_view,
      core_streamingDestination_view, core_streamingDestination_edit, core_streamingDestination_delete,
      core_usergroup_view, core_usergroup_manage, core_user_view, core_user_manage, core_role_view,
      core_role_edit, core_role_delete, core_resourcegroup_view, core_resourcegroup_edit,
      core_resourcegroup_delete, core_license_edit, core_license_view, core_authsetting_view,
      core_authsetting_edit, core_authsetting_delete, core_serviceaccount_view, core_serviceaccount_edit,
      core_serviceaccount_delete, core_serviceaccount_manageapikey, core_serviceaccount_list,
      core_account_view, core_account_edit, core_dashboards_view, core_dashboards_edit,
      core_template_access, core_template_copy, core_template_delete, core_template_edit,
      core_template_view, core_governancePolicySets_view, core_governancePolicySets_edit,
      core_governancePolicySets_delete, core_governancePolicySets_evaluate, core_governancePolicy_view,
      core_governancePolicy_edit, core_governancePolicy_delete, core_project_delete, core_project_view,
      core_project_edit, core_project_create, core_pipeline_edit, core_pipeline_delete,
      core_pipeline_execute, core_pipeline_view, core_inputset_edit, core_inputset_delete,
      core_inputset_view, chi_monitoredservice_view, chi_monitoredservice_edit,
      chi_monitoredservice_delete, chi_monitoredservice_toggle, chi_slo_view, chi_slo_edit,
      chi_slo_delete, chi_downtime_view, chi_downtime_edit, chi_downtime_delete, ff_featureflag_edit,
      ff_featureflag_delete, ff_featureflag_view, ff_targetgroup_view, ff_targetgroup_edit,
      ff_targetgroup_delete, ff_environment_targetGroupEdit, ff_target_view, ff_environment_apiKeyView,
      ff_environment_apiKeyCreate, ff_environment_apiKeyDelete, ff_environment_edit, ff_environment_view,
      ff_featureflag_toggle, gitops_agent_view, gitops_agent_edit, gitops_agent_delete,
      gitops_application_view, gitops_application_edit, gitops_application_delete,
      gitops_application_sync, gitops_repository_view, gitops_repository_edit, gitops_repository_delete,
      gitops_cluster_view, gitops_cluster_edit, gitops_cluster_delete, gitops_gpgkey_view,
      gitops_gpgkey_edit, gitops_gpgkey_delete, gitops_cert_view, gitops_cert_edit, gitops_cert_delete,
      sto_issue_view, sto_scan_view, sto_testtarget_view, sto_testtarget_edit, sto_exemption_view,
      sto_exemption_create, sto_exemption_approve, sto_ticket_view, sto_ticket_edit, sto_ticket_delete,
      core_file_view, core_file_edit, core_file_delete, core_file_access, core_variable_view,
      core_variable_edit, core_variable_delete, chaos_chaoshub_view, chaos_chaoshub_edit,
      chaos_chaoshub_delete, chaos_chaosinfrastructure_view, chaos_chaosinfrastructure_edit,
      chaos_chaosinfrastructure_delete, chaos_chaosexperiment_view, chaos_chaosexperiment_edit,
      chaos_chaosexperiment_delete, chaos_chaosexperiment_execute, chaos_chaosgameday_view,
      chaos_chaosgameday_edit, chaos_chaosgameday_delete, core_setting_view, core_setting_edit,
      ccm_overview_view, ccm_perspective_view, ccm_perspective_edit, ccm_perspective_delete,
      ccm_budget_view, ccm_budget_edit, ccm_budget_delete, ccm_costCategory_view, ccm_costCategory_edit,
      ccm_costCategory_delete, ccm_autoStoppingRule_view, ccm_autoStoppingRule_edit,
      ccm_autoStoppingRule_delete, ccm_loadBalancer_view, ccm_loadBalancer_edit, ccm_loadBalancer_delete,
      ccm_folder_view, ccm_folder_edit, ccm_folder_delete, ccm_currencyPreference_view,
      ccm_currencyPreference_edit, core_deploymentfreeze_manage, core_deploymentfreeze_override,
      core_deploymentfreeze_global, ccm_cloudAssetGovernanceRule_edit, ccm_cloudAssetGovernanceRule_view,
      ccm_cloudAssetGovernanceRule_delete, ccm_cloudAssetGovernanceRule_execute,
      ccm_cloudAssetGovernanceRuleSet_edit, ccm_cloudAssetGovernanceRuleSet_view,
      ccm_cloudAssetGovernanceRuleSet_delete, ccm_cloudAssetGovernanceEnforcement_edit,
      ccm_cloudAssetGovernanceEnforcement_view, ccm_cloudAssetGovernanceEnforcement_delete,
      idp_idpsettings_manage, idp_plugin_view, idp_plugin_edit, idp_plugin_toggle, idp_plugin_delete,
      idp_scorecard_view, idp_scorecard_edit, idp_scorecard_delete, idp_layout_view, idp_layout_edit,
      idp_catalogaccesspolicy_view, idp_catalogaccesspolicy_create, idp_catalogaccesspolicy_edit,
      idp_catalogaccesspolicy_delete, idp_integration_view, idp_integration_create, idp_integration_edit,
      idp_integration_delete, idp_advancedconfiguration_view, idp_advancedconfiguration_edit,
      idp_advancedconfiguration_delete, code_repo_view, code_repo_edit, code_repo_delete, code_repo_push,
      code_repo_reportCommitCheck, servicediscovery_networkmap_create, servicediscovery_networkmap_edit,
      servicediscovery_networkmap_delete, servicediscovery_networkmap_view,
      chaos_chaossecuritygovernance_edit, chaos_chaossecuritygovernance_delete,
      chaos_chaossecuritygovernance_view, cet_agents_view, cet_token_view, cet_token_create,
      cet_token_revoke, cet_criticalevent_view, cet_criticalevent_create, cet_criticalevent_delete,
      ccm_anomalies_view, ccm_recommendations_view, ccm_commitmentOrchestrator_view,
      ccm_commitmentOrchestrator_edit, iac_workspace_accessstate, iac_workspace_approve,
      iac_workspace_delete, iac_workspace_deletevariable, iac_workspace_edit, iac_workspace_editvariable,
      iac_workspace_view
    `,
  },
  {
    identifier: '_account_viewer',
    name: 'Account Viewer',
    description: 'View an account',
    allowedScopeLevels: ['account'],
    permissions: `
      core_secret_view, core_connector_view, core_smtp_view, core_delegate_view,
      core_delegateconfiguration_view, core_service_view, core_environment_view,
      core_environmentgroup_view, core_audit_view, core_streamingDestination_view, core_usergroup_view,
      core_user_view, core_role_view, core_resourcegroup_view, core_license_view, core_authsetting_view,
      core_account_view, core_serviceaccount_view, core_serviceaccount_list, core_template_view,
      core_governancePolicy_view, core_governancePolicySets_view, core_project_view,
      core_organization_view, core_pipeline_view, core_inputset_view, chi_monitoredservice_view,
      chi_slo_view, chi_downtime_view, ff_featureflag_view, ff_targetgroup_view, ff_target_view,
      ff_environment_apiKeyView, ff_environment_view, core_dashboards_view, gitops_agent_view,
      gitops_application_view, gitops_repository_view, gitops_cluster_view, gitops_gpgkey_view,
      gitops_cert_view, sto_issue_view, sto_scan_view, sto_testtarget_view, sto_exemption_view,
      sto_ticket_view, core_file_view, core_variable_view, chaos_chaoshub_view,
      chaos_chaosinfrastructure_view, chaos_chaosexperiment_view, chaos_chaosgameday_view,
      core_setting_view, ccm_overview_view, ccm_perspective_view, ccm_budget_view, ccm_costCategory_view,
      ccm_autoStoppingRule_view, ccm_loadBalancer_view, ccm_folder_view, ccm_currencyPreference_view,
      ccm_cloudAssetGovernanceEnforcement_view, ccm_cloudAssetGovernanceRuleSet_view,
      ccm_cloudAssetGovernanceRule_view, code_repo_view, servicediscovery_networkmap_view,
      chaos_chaossecuritygovernance_view, cet_agents_view, cet_token_view, cet_criticalevent_view,
      ccm_anomalies_view, ccm_recommendations_view, ccm_commitmentOrchestrator_view, iac_workspace_view
    `,
  },
  {
    identifier: '_pipeline_executor',
    name: 'Pipeline Executor',
    description: 'Execute a pipeline',
    allowedScopeLevels: ['project'],
    permissions: `
      core_project_view, core_secret_view, core_secret_access, core_connector_view, core_connector_access,
      core_pipeline_view, core_inputset_view, core_pipeline_execute, core_service_view,
      core_service_access, core_environment_view, core_environment_access, core_environmentgroup_view,
      core_environmentgroup_access, core_audit_view, core_usergroup_view, core_user_view, core_role_view,
      core_resourcegroup_view, core_file_view, core_file_access, core_variable_view, core_template_view,
      core_template_access, core_template_copy, core_setting_view
    `,
  },
  {
    identifier: '_feature_flag_manage_role',
    name: 'Feature Flag Manage Role',
    description: 'Can create, edit, and view feature flags',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      ff_environment_edit, ff_environment_view, ff_featureflag_edit, ff_featureflag_view,
      ff_targetgroup_edit, ff_targetgroup_view, ff_target_view, ff_environment_apiKeyView
    `,
  },
  {
    identifier: '_feature_flag_admin_role',
    name: 'Feature Flag Admin Role',
    description: 'Can create, edit, toggle and view feature flags',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      ff_environment_edit, ff_environment_view, ff_featureflag_edit, ff_featureflag_view,
      ff_featureflag_toggle, ff_targetgroup_edit, ff_targetgroup_view, ff_target_view,
      ff_environment_apiKeyView, ff_environment_apiKeyCreate, ff_environment_targetGroupEdit
    `,
  },
  {
    identifier: '_gitops_admin_role',
    name: 'Gitops Admin Role',
    description: 'Can create, edit, and view Gitops Resources',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      gitops_agent_view, gitops_agent_edit, gitops_agent_delete, gitops_application_view,
      gitops_application_edit, gitops_application_delete, gitops_application_sync, gitops_repository_view,
      gitops_repository_edit, gitops_repository_delete, gitops_cluster_view, gitops_cluster_edit,
      gitops_cluster_delete, gitops_gpgkey_view, gitops_gpgkey_edit, gitops_gpgkey_delete,
      gitops_cert_view, gitops_cert_edit, gitops_cert_delete
    `,
  },
  {
    identifier: '_chaos_admin',
    name: 'Chaos Admin',
    description: 'Can create, edit, and view Chaos Resources',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      chaos_chaoshub_view, chaos_chaoshub_edit, chaos_chaoshub_delete, chaos_chaosinfrastructure_view,
      chaos_chaosinfrastructure_edit, chaos_chaosinfrastructure_delete, chaos_chaosexperiment_view,
      chaos_chaosexperiment_edit, chaos_chaosexperiment_delete, chaos_chaosexperiment_execute,
      chaos_chaosgameday_view, chaos_chaosgameday_edit, chaos_chaosgameday_delete, core_environment_view,
      core_environment_edit, core_environment_delete, core_environment_access, core_environmentgroup_view,
      core_environmentgroup_edit, core_environmentgroup_delete, core_environmentgroup_access
    `,
  },
  {
    identifier: '_sto_developer_role',
    name: 'Security Testing Developer Role',
    description: 'Can work with security issues',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      sto_issue_view, sto_scan_view, sto_testtarget_view, sto_testtarget_edit, sto_exemption_view,
      sto_exemption_create, sto_ticket_view, sto_ticket_edit
    `,
  },
  {
    identifier: '_sto_secops_role',
    name: 'Security Testing SecOps Role',
    description: 'Can work with security issues and manage security exemptions',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      sto_issue_view, sto_scan_view, sto_testtarget_view, sto_testtarget_edit, sto_exemption_view,
      sto_exemption_create, sto_exemption_approve, sto_ticket_view, sto_ticket_edit, sto_ticket_delete
    `,
  },
  {
    identifier: '_account_basic',
    name: 'Account Basic',
    description: 'Account Basic',
    allowedScopeLevels: ['account'],
    internal: true,
    permissions: 'core_license_view, core_account_view',
  },
  {
    identifier: '_organization_basic',
    name: 'Organization Basic',
    description: 'Organization Basic',
    allowedScopeLevels: ['organization'],
    internal: true,
    permissions: 'core_organization_view',
  },
  {
    identifier: '_project_basic',
    name: 'Project Basic',
    description: 'Project Basic',
    allowedScopeLevels: ['project'],
    internal: true,
    permissions: 'core_project_view',
  },
  {
    identifier: '_billing_admin',
    name: 'Billing Admin',
    description: 'Billing Admin',
    allowedScopeLevels: ['account'],
    permissions: 'core_license_view, core_license_edit',
  },
  {
    identifier: '_ccm_admin',
    name: 'CCM Admin',
    description: 'CCM Admin',
    allowedScopeLevels: ['account'],
    permissions: `
      ccm_perspective_view, ccm_perspective_edit, ccm_perspective_delete, ccm_budget_view,
      ccm_budget_edit, ccm_budget_delete, ccm_costCategory_view, ccm_costCategory_edit,
      ccm_costCategory_delete, ccm_autoStoppingRule_view, ccm_autoStoppingRule_edit,
      ccm_autoStoppingRule_delete, ccm_folder_view, ccm_folder_edit, ccm_folder_delete,
      ccm_loadBalancer_view, ccm_loadBalancer_edit, ccm_loadBalancer_delete, ccm_overview_view,
      ccm_currencyPreference_view, ccm_currencyPreference_edit, ccm_cloudAssetGovernanceRule_edit,
      ccm_cloudAssetGovernanceRule_view, ccm_cloudAssetGovernanceRule_delete,
      ccm_cloudAssetGovernanceRule_execute, ccm_cloudAssetGovernanceRuleSet_edit,
      ccm_cloudAssetGovernanceRuleSet_view, ccm_cloudAssetGovernanceRuleSet_delete,
      ccm_cloudAssetGovernanceEnforcement_edit, ccm_cloudAssetGovernanceEnforcement_view,
      ccm_cloudAssetGovernanceEnforcement_delete, ccm_anomalies_view, ccm_recommendations_view,
      ccm_commitmentOrchestrator_edit, ccm_commitmentOrchestrator_view
    `,
  },
  {
    identifier: '_ccm_viewer',
    name: 'CCM Viewer',
    description: 'CCM Viewer',
    allowedScopeLevels: ['account'],
    permissions: `
      ccm_perspective_view, ccm_budget_view, ccm_costCategory_view, ccm_autoStoppingRule_view,
      ccm_folder_view, ccm_loadBalancer_view, ccm_overview_view, ccm_currencyPreference_view,
      ccm_cloudAssetGovernanceEnforcement_view, ccm_cloudAssetGovernanceRuleSet_view,
      ccm_cloudAssetGovernanceRule_view, ccm_anomalies_view, ccm_recommendations_view,
      ccm_commitmentOrchestrator_view
    `,
  },
  {
    identifier: '_dashboard_viewer',
    name: 'Dashboard Viewer',
    description: 'Dashboard Viewer',
    allowedScopeLevels: ['account'],
    permissions: 'core_dashboards_view',
  },
  {
    identifier: '_dashboard_admin',
    name: 'Dashboard Admin',
    description: 'Dashboard Admin',
    allowedScopeLevels: ['account'],
    permissions: 'core_dashboards_view, core_dashboards_edit',
  },
  {
    identifier: '_code_admin',
    name: 'Code Admin',
    description: 'Code Admin',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      code_repo_view, code_repo_edit, code_repo_delete, code_repo_push, code_repo_reportCommitCheck
    `,
  },
  {
    identifier: '_cet_admin',
    name: 'CET Admin',
    description: 'Can create, edit, and view CET Resources',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: `
      cet_agents_view, cet_token_view, cet_token_create, cet_token_revoke, cet_criticalevent_view,
      cet_criticalevent_create, cet_criticalevent_delete
    `,
  },
  {
    identifier: '_pipeline_allUsers_access_role',
    name: 'Pipeline Public Access Role',
    allowedScopeLevels: ['project'],
    internal: true,
    permissions: 'core_pipeline_view',
  },
  {
    identifier: '_pipeline_allAuthenticatedUsers_access_role',
    name: 'Pipeline Authenticated Access Role',
    allowedScopeLevels: ['project'],
    internal: true,
    permissions: 'core_pipeline_view',
  },
  {
    identifier: '_sei_admin',
    name: 'SEI Admin',
    description: 'Can create, edit, and view SEI resources',
    allowedScopeLevels: ['account'],
    permissions: `
      sei_seiconfigurationsettings_create, sei_seiconfigurationsettings_view,
      sei_seiconfigurationsettings_edit, sei_seiconfigurationsettings_delete, sei_seicollections_create,
      sei_seicollections_view, sei_seicollections_edit, sei_seicollections_delete, sei_seiinsights_create,
      sei_seiinsights_view, sei_seiinsights_edit, sei_seiinsights_delete, core_resourcegroup_view,
      core_resourcegroup_edit, core_resourcegroup_delete, core_organization_view, core_project_create,
      core_project_view, core_project_edit, core_project_delete, core_usergroup_view,
      core_usergroup_manage, core_role_view, core_user_invite, core_user_view, core_user_manage
    `,
  },
  {
    identifier: '_sei_viewer',
    name: 'SEI Viewer',
    description: 'Can view SEI resources',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: 'sei_seiinsights_view, sei_seicollections_view',
  },
  {
    identifier: '_sei_collections_admin',
    name: 'SEI Collections Admin',
    description: 'Can create, edit, and view SEI Teams',
    allowedScopeLevels: ['account', 'organization', 'project'],
    permissions: 'sei_seicollections_view, sei_seicollections_edit, sei_seiinsights_view',
  },
  {
    identifier: '_idp_admin',
    name: 'IDP Admin',
    description: 'Can create, edit, delete and view IDP Resources',
    allowedScopeLevels: ['account'],
    permissions: `
      idp_idpsettings_manage, idp_plugin_view, idp_plugin_edit, idp_plugin_toggle, idp_plugin_delete,
      idp_scorecard_view, idp_scorecard_edit, idp_scorecard_delete, idp_layout_view, idp_layout_edit,
      idp_catalogaccesspolicy_view, idp_catalogaccesspolicy_create, idp_catalogaccesspolicy_edit,
      idp_catalogaccesspolicy_delete, idp_integration_view, idp_integration_create, idp_integration_edit,
      idp_integration_delete, idp_advancedconfiguration_view, idp_advancedconfiguration_edit,
      idp_advancedconfiguration_delete
    `,
  },
  {
    identifier: '_idp_platform_engineer',
    name: 'IDP Platform Engineer',
    description:
      'Can create, edit, delete and view IDP Plugins, Scorecards, Advanced configuration Resources',
    allowedScopeLevels: ['account'],
    permissions: `
      idp_plugin_view, idp_plugin_edit, idp_plugin_toggle, idp_plugin_delete, idp_scorecard_view,
      idp_scorecard_edit, idp_scorecard_delete, idp_advancedconfiguration_view,
      idp_advancedconfiguration_edit, idp_advancedconfiguration_delete
    `,
  },
  {
    identifier: '_access_checker',
    name: 'Access Checker',
    description: 'Check access on behalf of other principals',
    allowedScopeLevels: ['account'],
    permissions: ACL_CHECK,
  },
];

/** Turns a spec into a managed role, splitting its permission list. */
function toManagedRole(spec: ManagedRoleSpec): ManagedRole {
  const permissions = [
    ...spec.permissions.split(/[\s,]+/).filter((permission) => permission !== ''),
    ...(spec.extraPermissions ?? []),
  ];
  return {
    identifier: spec.identifier,
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    permissions,
    allowedScopeLevels: spec.allowedScopeLevels,
    harnessManaged: true,
    ...(spec.internal ? { internal: true } : {}),
  };
}

/**
 * Every managed role: reference §3.2/§3.4, `_account_admin` extended with `core_acl_check`, and our
 * `_access_checker` (DESIGN §3.3).
 */
export const MANAGED_ROLES: readonly ManagedRole[] = MANAGED_ROLE_SPECS.map(toManagedRole);

const MANAGED_ROLES_BY_IDENTIFIER: ReadonlyMap<string, ManagedRole> = new Map(
  MANAGED_ROLES.map((role) => [role.identifier, role]),
);

/** The managed role with this identifier, or `undefined` when there is none. */
export function findManagedRole(identifier: string): ManagedRole | undefined {
  return MANAGED_ROLES_BY_IDENTIFIER.get(identifier);
}
