import QRCode from 'qrcode'

/** The QR code of an otpauth URI, for the enrollment screen (SVG) and the CLI (PNG file). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

export function writeQrPng(path: string, text: string): Promise<void> {
  return QRCode.toFile(path, text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 })
}
