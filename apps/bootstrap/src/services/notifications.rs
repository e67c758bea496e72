//! Devices, the in-app notification list and reminders wired to PostgreSQL and the configured
//! push providers (docs/reminders.md).

use crate::Stores;
use crate::config::{PushConfig, PushProvider};
use anyhow::Context;
use lingo_kernel::Clock;
use lingo_notifications::manage_devices::DeviceService;
use lingo_notifications::notification_list::NotificationService;
use lingo_notifications::ports::PushSender;
use lingo_notifications::purge_notifications::NotificationPurgeService;
use lingo_notifications::send_reminders::ReminderService;
use lingo_postgres::{
    PgDeviceStore, PgNotificationRetention, PgNotificationStore, PgReminderStore,
};
use lingo_push::{
    ApnsSender, ApnsSettings, FcmSender, FcmSettings, PlatformRouter, ServiceAccount,
};
use std::sync::Arc;

pub(super) struct Notifications {
    pub devices: DeviceService,
    pub notifications: NotificationService,
    pub reminders: ReminderService,
    pub purge: NotificationPurgeService,
}

pub(super) fn build(
    config: &PushConfig,
    stores: &Stores,
    push: Option<Arc<dyn PushSender>>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Notifications> {
    let push = match push {
        Some(push) => push,
        None => push_sender(config, clock.clone())?,
    };
    let devices = Arc::new(PgDeviceStore::new(stores.postgres.clone()));
    Ok(Notifications {
        devices: DeviceService::new(devices.clone(), clock.clone()),
        notifications: NotificationService::new(
            Arc::new(PgNotificationStore::new(stores.postgres.clone())),
            clock.clone(),
        ),
        reminders: ReminderService::new(
            Arc::new(PgReminderStore::new(stores.postgres.clone())),
            devices,
            push,
            clock.clone(),
        ),
        purge: NotificationPurgeService::new(
            Arc::new(PgNotificationRetention::new(stores.postgres.clone())),
            clock,
        ),
    })
}

/// The configured providers; their key files are read here, at start-up.
fn push_sender(config: &PushConfig, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<dyn PushSender>> {
    let (fcm, apns) = match &config.provider {
        PushProvider::Log => return Ok(Arc::new(lingo_push::LogSender)),
        PushProvider::None => return Ok(Arc::new(PlatformRouter::default())),
        PushProvider::Providers { fcm, apns } => (fcm, apns),
    };
    let mut router = PlatformRouter::default();
    if let Some(fcm) = fcm {
        let json = std::fs::read_to_string(&fcm.service_account_file).with_context(|| {
            format!(
                "LINGO_FCM_SERVICE_ACCOUNT_FILE {} is not readable",
                fcm.service_account_file
            )
        })?;
        let mut account = ServiceAccount::from_json(&json)?;
        if let Some(url) = &fcm.token_url {
            account = account.with_token_uri(url);
        }
        router.android = Some(Arc::new(FcmSender::new(
            FcmSettings {
                project_id: fcm.project_id.clone(),
                account,
                base_url: fcm.base_url.clone(),
                timeout: config.timeout,
            },
            clock.clone(),
        )?));
    }
    if let Some(apns) = apns {
        let key_pem = std::fs::read_to_string(&apns.key_file)
            .with_context(|| format!("LINGO_APNS_KEY_FILE {} is not readable", apns.key_file))?;
        router.ios = Some(Arc::new(ApnsSender::new(
            ApnsSettings {
                key_pem,
                key_id: apns.key_id.clone(),
                team_id: apns.team_id.clone(),
                topic: apns.topic.clone(),
                base_url: apns.base_url.clone(),
                timeout: config.timeout,
            },
            clock,
        )?));
    }
    Ok(Arc::new(router))
}
