import type { Policy, Role } from '../../../shared/schemas'
import {
  whenFormat,
  type Catalog,
  type Notice,
  type NoticeText,
  type SettingChange,
  type Who,
} from './catalog'

/** "30 de noviembre de 2026 a las 19:20 UTC". */
const when = whenFormat('es')

const ROLE: Record<Role, string> = {
  owner: 'propietario',
  admin: 'administrador',
  support: 'agente de soporte',
  member: 'miembro',
}

/** Who, in a sentence: `start` when it opens one. */
const who = (w: Who, start: boolean): string => {
  if (w === 'key-holder') return start ? 'El titular de la clave' : 'el titular de la clave'
  const name = w.name ?? (start ? 'Alguien' : 'alguien')
  return w.role ? `${name} (${ROLE[w.role]})` : name
}

const FIELD: Record<keyof Policy, string> = {
  idleLockMinutes: 'bloqueo por inactividad',
  sessionLifetimeHours: 'duración de la sesión',
  failuresBeforeDelay: 'fallos antes de ralentizar',
  failuresBeforeLock: 'fallos antes de bloquear',
  lockMinutes: 'duración del bloqueo',
  requireTwoFactorForNewUsers: 'verificación en dos pasos para usuarios nuevos',
  gracePeriodDays: 'periodo de gracia',
  recoveryCoolingOffMinutes: 'espera de la recuperación',
  recoveryRequestHours: 'caducidad de las solicitudes de recuperación',
  noticesBy: 'avisos de seguridad',
  defaultLanguage: 'idioma predeterminado',
}

const VALUE: Record<string, string> = {
  true: 'sí',
  false: 'no',
  email: 'correo',
  sms: 'SMS',
  both: 'correo y SMS',
  en: 'inglés',
  es: 'español',
}
const value = (v: unknown): string => VALUE[String(v)] ?? String(v)

const settingText = (s: SettingChange): string => {
  if (s.setting === 'policy')
    return s.changes.map((c) => `${FIELD[c.field]} ${value(c.from)} → ${value(c.to)}`).join(', ')
  return `${s.setting === 'sms' ? 'proveedor de SMS' : 'proveedor de correo'} ${s.provider}${s.at ? ` en ${s.at}` : ''}`
}

const NOT_YOU = 'Si no has sido tú, avisa ya a tu administrador.'

function notice(n: Notice): NoticeText {
  switch (n.kind) {
    case '2fa_enabled':
      return {
        subject: 'La verificación en dos pasos está activada',
        lead: [
          'Se activó la verificación en dos pasos en tu cuenta: para iniciar sesión necesitas tu contraseña y un código de tu app de autenticación.',
          'Guarda tus códigos de respaldo en un lugar seguro. ' + NOT_YOU,
        ],
        sms: null,
      }
    case '2fa_disabled':
      return {
        subject: 'Se desactivó la verificación en dos pasos',
        lead: [
          n.by
            ? `${who(n.by, true)} desactivó la verificación en dos pasos de tu cuenta: tu app de autenticación y tus códigos de respaldo ya no sirven.`
            : 'Se desactivó la verificación en dos pasos de tu cuenta: tu app de autenticación y tus códigos de respaldo ya no sirven.',
          `Ahora basta tu contraseña para iniciar sesión. Vuelve a activarla en Mi perfil. ${NOT_YOU}`,
        ],
        sms: `Tessera: se desactivó la verificación en dos pasos de tu cuenta. ${NOT_YOU}`,
      }
    case 'backup_codes_regenerated':
      return {
        subject: 'Nuevos códigos de respaldo',
        lead: [
          'Se creó un nuevo juego de códigos de respaldo para tu cuenta; los anteriores ya no sirven.',
          `Guarda los nuevos en un lugar seguro. ${NOT_YOU}`,
        ],
        sms: null,
      }
    case 'backup_code_used': {
      const what =
        n.left === 0
          ? 'No te quedan códigos de respaldo: inicia sesión con tu app y crea un juego nuevo en Mi perfil ahora, o podrías perder el acceso si pierdes tu dispositivo.'
          : n.left === 1
            ? 'Te queda 1 código de respaldo: crea un juego nuevo en Mi perfil pronto.'
            : `Te quedan ${n.left} códigos de respaldo.`
      return {
        subject: 'Se usó un código de respaldo',
        lead: [
          `Se usó el código de respaldo ${n.slot} de 5 para iniciar sesión en tu cuenta.`,
          what,
          NOT_YOU,
        ],
        sms: `Tessera: se usó el código de respaldo ${n.slot} de 5 para iniciar sesión; quedan ${n.left}. ${NOT_YOU}`,
      }
    }
    case 'phone_added':
      return {
        subject: 'Teléfono de emergencia añadido',
        lead: [`${n.phone} es ahora el teléfono de emergencia de tu cuenta. ${NOT_YOU}`],
        sms: null,
      }
    case 'phone_changed':
      return {
        subject: 'Teléfono de emergencia cambiado',
        lead: [`El teléfono de emergencia de tu cuenta cambió de ${n.old} a ${n.phone}. ${NOT_YOU}`],
        sms: `Tu teléfono de emergencia de Tessera cambió a ${n.phone}. Si no lo has cambiado tú, avisa ya a tu administrador.`,
      }
    case 'recovery_filed': {
      const what =
        n.purpose === 'password'
          ? 'la contraseña'
          : n.purpose === 'both'
            ? 'la contraseña y la verificación en dos pasos'
            : 'la verificación en dos pasos'
      return n.byAdmin
        ? {
            subject: 'Se pidió restablecer tu cuenta',
            lead: [
              `Un administrador pidió restablecer ${what} de tu cuenta. Dos aprobadores comprobarán quién eres antes de que cambie nada. ${NOT_YOU}`,
            ],
            sms: `Un administrador pidió restablecer ${what} de tu cuenta de Tessera. Si no lo esperabas, avisa ya a tu administrador.`,
          }
        : {
            subject: 'Pediste ayuda a soporte',
            lead: [
              `Alguien pidió a soporte recuperar tu cuenta${n.purpose === 'both' ? ' (una contraseña nueva y una app de autenticación nueva)' : ''}. Soporte se pondrá en contacto contigo para comprobar quién eres. ${NOT_YOU}`,
            ],
            sms: 'Alguien pidió al soporte de Tessera recuperar tu cuenta. Si no has sido tú, avisa ya a tu administrador.',
          }
    }
    case 'recovery_approved':
      return {
        subject: 'Se aprobó tu solicitud de recuperación',
        lead: [
          n.effectiveAt
            ? `Soporte aprobó la solicitud para recuperar tu cuenta. Se podrá emitir un código de acceso temporal a partir del ${when(n.effectiveAt)}.`
            : 'Soporte aprobó la solicitud para recuperar tu cuenta.',
          NOT_YOU,
        ],
        sms: n.effectiveAt
          ? `El soporte de Tessera aprobó la solicitud para recuperar tu cuenta. Se podrá emitir un código de acceso temporal a partir del ${when(n.effectiveAt)}. Si no lo has pedido tú, avisa ya a tu administrador.`
          : 'El soporte de Tessera aprobó la solicitud para recuperar tu cuenta. Si no lo has pedido tú, avisa ya a tu administrador.',
      }
    case 'recovery_code_issued': {
      const where =
        n.via === 'sms'
          ? 'se envió a tu teléfono de emergencia'
          : n.via === 'email'
            ? 'se envió en otro correo'
            : 'soporte te lo leerá'
      return {
        subject:
          n.code === 'password_reset'
            ? 'Se emitió un código para restablecer la contraseña'
            : 'Se emitió un código de acceso temporal',
        lead: [
          n.code === 'password_reset'
            ? `Soporte emitió un código para restablecer la contraseña de tu cuenta; ${where}. Sirve una vez, durante 30 minutos; tu verificación en dos pasos sigue como está.`
            : `Soporte emitió un código de acceso temporal para tu cuenta; ${where}. Úsalo una vez, en las próximas 24 horas; después configurarás una app de autenticación nueva.`,
          NOT_YOU,
        ],
        sms: null,
      }
    }
    case 'recovery_completed':
      return {
        subject: 'Se recuperó tu cuenta',
        lead: [
          'Tu cuenta se recuperó con un código de acceso temporal: tu app de autenticación anterior y tus códigos de respaldo ya no sirven, y configuraste una nueva al iniciar sesión.',
          NOT_YOU,
        ],
        sms: `Tessera: tu cuenta se recuperó con un código de acceso temporal. ${NOT_YOU}`,
      }
    case 'account_locked':
      return {
        subject: 'Tu cuenta está bloqueada',
        lead: [
          n.until === null
            ? 'Demasiados intentos fallidos de inicio de sesión: tu cuenta está bloqueada hasta que un administrador la desbloquee.'
            : `Demasiados intentos fallidos de inicio de sesión: tu cuenta está bloqueada hasta el ${when(n.until)}, o hasta que un administrador la desbloquee.`,
          'Si esos intentos no fueron tuyos, puede que alguien conozca tu contraseña: cámbiala en cuanto vuelvas a entrar y avisa a tu administrador.',
        ],
        sms: `Tessera: demasiados inicios de sesión fallidos; tu cuenta está bloqueada${n.until === null ? '' : ` hasta el ${when(n.until)}`}. Si no has sido tú, avisa a tu administrador.`,
      }
    case 'password_changed':
      return {
        subject: n.how === 'reset' ? 'Se restableció tu contraseña' : 'Se cambió tu contraseña',
        lead: [
          n.how === 'reset'
            ? 'La contraseña de tu cuenta se restableció con un código. Se cerraron todas las demás sesiones; tu verificación en dos pasos no cambia.'
            : 'La contraseña de tu cuenta cambió. Se cerraron todas las demás sesiones.',
          NOT_YOU,
        ],
        sms: `Tessera: la contraseña de tu cuenta se ${n.how === 'reset' ? 'restableció' : 'cambió'}. ${NOT_YOU}`,
      }
    case 'protective_setting_changed': {
      const what = settingText(n.what)
      const by = who(n.by, false)
      return {
        subject: 'Cambió un ajuste que protege tu cuenta',
        lead: [
          `Cambió un ajuste que protege tu cuenta (${what}); lo cambió ${by}.`,
          'Si no lo esperabas, revisa Ajustes ahora.',
        ],
        sms: `Tessera: cambió un ajuste que protege tu cuenta (${what}); lo cambió ${by}. Si no lo esperabas, revisa Ajustes ahora.`,
      }
    }
    case 'audit_anchor':
      return {
        subject: `Ancla del registro de auditoría: evento ${n.seq}`,
        lead: [
          `${who(n.by, true)} ancló el registro de auditoría el ${when(n.at)}: evento ${n.seq}, hash ${n.hash}.`,
          'Guarda este mensaje donde nadie con acceso a la base de datos pueda cambiarlo. Guardado como archivo (la línea de abajo), permite demostrar más tarde con "tessera audit verify --anchor FILE" que el registro sigue ampliando este punto sin cambios, o señalar dónde se reescribió.',
          n.file,
        ],
        sms: `Ancla de auditoría de Tessera: evento ${n.seq}, hash ${n.hash}, ${when(n.at)}. Guarda este mensaje.`,
      }
  }
}

export const es: Catalog = {
  when,
  greeting: (name) => (name === null ? 'Hola:' : `Hola, ${name}:`),
  footer: (account) =>
    `— ${account} (enviado por Tessera). Si no esperabas este mensaje, ponte en contacto con tu administrador.`,
  subject: (subject, account) => `${subject} — ${account}`,
  testEmail: {
    subject: 'Mensaje de prueba',
    lead: ['Este es un mensaje de prueba de Tessera: el envío de correo funciona.'],
  },
  testSms: 'Mensaje de prueba de Tessera: el envío de SMS funciona.',
  invitation: (p) => {
    const by = p.invitedBy ?? 'Tu administrador'
    return {
      subject: 'Tu invitación a Tessera',
      lead: [
        p.account === 'Tessera'
          ? `${by} te invitó a iniciar sesión con Tessera, con tu correo ${p.email}.`
          : `${by} te invitó a iniciar sesión en ${p.account} con Tessera, con tu correo ${p.email}.`,
        'Para activar tu cuenta, abre Tessera en cualquier ordenador donde esté instalado, elige "Activar una cuenta" en la pantalla de inicio de sesión e introduce tu correo y este código. Después elegirás una contraseña y, si tu administrador lo exige, configurarás una app de autenticación.',
      ],
      code: { label: 'Tu código de invitación', value: p.code },
      then: [
        `El código sirve una vez, hasta el ${when(p.expiresAt)}. No lo compartas nunca: nadie de ${p.account} te lo pedirá.`,
      ],
    }
  },
  passwordReset: (p) => ({
    subject: 'Restablece tu contraseña',
    lead: [
      p.byAdmin
        ? `${who(p.byAdmin, true)} inició el restablecimiento de la contraseña de tu cuenta.`
        : 'Alguien (esperamos que tú) pidió restablecer la contraseña de tu cuenta.',
      'En Tessera, elige "¿Olvidaste tu contraseña?" → "Tengo un código de restablecimiento" e introduce tu correo, este código y tu nueva contraseña dos veces.',
    ],
    code: { label: 'Tu código para restablecer la contraseña', value: p.code },
    then: [
      p.secondFactor
        ? `El código sirve una vez, hasta el ${when(p.expiresAt)}. Tu verificación en dos pasos sigue activada: para iniciar sesión seguirás necesitando el código de tu app (o un código de respaldo).`
        : `El código sirve una vez, hasta el ${when(p.expiresAt)}.`,
      'Si no lo has pedido tú, ignora este mensaje: tu contraseña no ha cambiado. Avisa a tu administrador si vuelve a ocurrir.',
    ],
  }),
  notice,
  phoneVerifySms: (code) =>
    `Tu código de Tessera para verificar este teléfono de emergencia es ${code}. Caduca en 10 minutos.`,
  loginCodeSms: (code) =>
    `Tu código de inicio de sesión de Tessera es ${code}. Caduca en 10 minutos. No lo compartas nunca.`,
  agentAlert: (a) =>
    a.kind === 'lockout'
      ? {
          title: 'Cuenta bloqueada',
          body: `La cuenta de ${a.who} está bloqueada tras demasiados intentos fallidos${a.until !== null ? ` hasta el ${when(a.until)}` : ' hasta que un administrador la desbloquee'}. Puede que esa persona llame a soporte.`,
        }
      : {
          title: 'Nueva solicitud de recuperación',
          body: a.byAdmin
            ? `Un administrador pidió restablecer el inicio de sesión de ${a.who} (solicitud n.º ${a.requestId}). Espera en la cola de Recuperación.`
            : `${a.who} pidió ayuda a soporte para iniciar sesión (solicitud n.º ${a.requestId}). Espera en la cola de Recuperación.`,
        },
  agentAlertSummary: (requests, lockouts) => {
    const parts = [
      requests > 0
        ? `${requests} ${requests === 1 ? 'solicitud de recuperación nueva' : 'solicitudes de recuperación nuevas'}`
        : null,
      lockouts > 0 ? `${lockouts} ${lockouts === 1 ? 'cuenta bloqueada' : 'cuentas bloqueadas'}` : null,
    ].filter((p): p is string => p !== null)
    return {
      title: requests > 0 ? 'Solicitudes de recuperación en espera' : 'Cuentas bloqueadas',
      body: `${parts.join(' y ')}. Abre Tessera para verlas.`,
    }
  },
  accessCodeSms: (code, newPassword) =>
    newPassword
      ? `Tu código de acceso temporal de Tessera es ${code}. Úsalo una vez, en las próximas 24 horas, con tu correo en "¿Olvidaste tu contraseña?": elegirás una contraseña nueva y una app de autenticación nueva. No lo compartas nunca.`
      : `Tu código de acceso temporal de Tessera es ${code}. Úsalo una vez, en las próximas 24 horas, después de tu contraseña; luego configurarás una app de autenticación nueva. No lo compartas nunca.`,
}
